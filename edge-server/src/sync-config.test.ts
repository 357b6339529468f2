import { describe, expect, test } from "bun:test";
import { describeConfig, isKioskError, loadConfig } from "@kiosk/contracts";
import { z } from "zod";
import { syncConfigSchema } from "./sync-config.ts";

// The lead mounts the schema under `sync` of the edge config; test it the same way.
const mounted = z.object({ sync: syncConfigSchema });

describe("syncConfigSchema", () => {
  test("has documented defaults with file paths under var/edge/", () => {
    const config = loadConfig(mounted, "KIOSK_EDGE_", {}).sync;
    expect(config).toMatchObject({
      dbPath: "var/edge/kiosk.db",
      dataKeyFile: "var/edge/keys/data.key",
      signingKeyFile: "var/edge/keys/signing.key",
      retentionDays: 30,
      batch: { maxRecords: 500, maxBytes: 1024 * 1024 },
      backoff: { baseMs: 1_000, capMs: 60_000 },
    });
    expect(config.centralPublicKey).toBeUndefined();
    const fields = describeConfig(mounted, "KIOSK_EDGE_");
    expect(fields.length).toBeGreaterThan(15);
    for (const field of fields) expect({ key: field.key, described: field.description.length > 10 }).toEqual({ key: field.key, described: true });
    expect(fields.find((f) => f.key === "sync.disk.hardWatermark")?.env).toBe("KIOSK_EDGE_SYNC_DISK_HARD_WATERMARK");
  });

  test("refuses inconsistent watermarks and back-off, and batch limits above the contract's", () => {
    try {
      loadConfig(mounted, "KIOSK_EDGE_", {
        env: { KIOSK_EDGE_SYNC_DISK_SOFT_WATERMARK: "0.99", KIOSK_EDGE_SYNC_BACKOFF_BASE_MS: "90000", KIOSK_EDGE_SYNC_BATCH_MAX_RECORDS: "501" },
      });
      throw new Error("expected a failure");
    } catch (error) {
      expect(isKioskError(error, "config-invalid")).toBe(true);
      const problems = (error as { details: { problems: string[] } }).details.problems;
      expect(problems.some((p) => p.startsWith("sync.disk.softWatermark"))).toBe(true);
      expect(problems.some((p) => p.startsWith("sync.backoff.baseMs"))).toBe(true);
      expect(problems.some((p) => p.startsWith("sync.batch.maxRecords"))).toBe(true);
    }
  });
});
