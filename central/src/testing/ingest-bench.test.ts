import { afterEach, describe, expect, test } from "bun:test";
import { measureVerifyRate, runIngestBench } from "./ingest-bench.ts";
import { testBackends, type TestDatabase } from "./test-databases.ts";

for (const backend of testBackends()) {
  describe(`ingest benchmark on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("sends every record through real HTTP and reports the rate", async () => {
      db = await backend.create({ migrated: false });
      const result = await runIngestBench({
        backend: backend.name,
        records: 1_000,
        batchSize: 250,
        kiosks: 2,
        verifyWorkers: 1,
        ...(db.target.url ? { postgresUrl: db.target.url } : {}),
      });
      expect(result).toMatchObject({ backend: backend.name, records: 1_000, batches: 4, kiosks: 2, verifyWorkers: 1 });
      expect(result.recordsPerS).toBeGreaterThan(0);
      expect(result.batchMsP99).toBeGreaterThanOrEqual(result.batchMsP50);
    });
  });
}

describe("measureVerifyRate", () => {
  test("verifies real signatures and reports both rates", async () => {
    const rate = await measureVerifyRate(1_000);
    expect(rate.signatures).toBe(1_000);
    expect(rate.sequentialPerS).toBeGreaterThan(0);
    expect(rate.batchedPerS).toBeGreaterThan(0);
  });
});
