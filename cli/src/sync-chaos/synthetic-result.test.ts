import { describe, expect, test } from "bun:test";
import { createPrng, parseVerificationResult } from "@kiosk/contracts";
import { syntheticResult } from "./synthetic-result.ts";

describe("syntheticResult", () => {
  test("makes valid bodies of both schema versions and every outcome", () => {
    const random = createPrng(7);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const result = syntheticResult("chaos-k1", random, Date.parse("2026-03-01T08:00:00.000Z"));
      const parsed = parseVerificationResult(result.schemaVersion, result.body);
      expect(parsed.ok ? "ok" : JSON.stringify(parsed.issues)).toBe("ok");
      seen.add(`v${result.schemaVersion} ${result.body.outcome}`);
    }
    // Six outcomes in version 1, and those plus no-pending-matter in version 2.
    expect(seen.size).toBe(13);
  });
});
