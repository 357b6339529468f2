import { describe, expect, test } from "bun:test";
import { benchCommitTime } from "./bench-commit.ts";

describe("benchCommitTime", () => {
  test("reports ordered timings for the saves it made", async () => {
    const bench = await benchCommitTime({ samples: 10 });
    expect(bench.samples).toBe(10);
    expect(bench.medianMs).toBeGreaterThan(0);
    expect(bench.medianMs).toBeLessThanOrEqual(bench.p95Ms);
    expect(bench.p95Ms).toBeLessThanOrEqual(bench.maxMs);
  });
});
