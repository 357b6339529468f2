import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { TEST_PG_URL_ENV } from "@kiosk/central/testing";
import { CHAOS_FAULTS, runSyncChaos } from "./orchestrator.ts";

// The short chaos run of `./kiosk test`: a few hundred results, every fault kind at least once,
// on the runner's PostgreSQL (two centrals) when it gave one, else on SQLite (one central).
describe("sync chaos, quick", () => {
  test(
    "nothing lost, nothing duplicated, no forgery accepted, every receipt valid, every fault fired",
    async () => {
      const postgresUrl = process.env[TEST_PG_URL_ENV] || undefined;
      const report = await runSyncChaos({
        quick: true,
        results: 240,
        kiosks: 3,
        seed: 5,
        generateSeconds: 16,
        postgresUrl,
        sqlite: postgresUrl === undefined,
        drainTimeoutS: 60,
        env: process.env,
        log: silentLogger,
      });
      const context = JSON.stringify({ ...report, check: undefined });
      expect(report.backend, context).toBe(postgresUrl ? "postgres" : "sqlite");
      expect(report.centrals).toBe(postgresUrl ? 2 : 1);
      expect(report.results, context).toBe(240);
      expect(report.lost, context).toBe(0);
      expect(report.duplicated, context).toBe(0);
      expect(report.forgeriesAccepted, context).toBe(0);
      expect(report.receiptsInvalid, context).toBe(0);
      expect(report.receiptsChecked).toBeGreaterThan(0);
      expect(report.check.committedNotDelivered, context).toBe(0);
      expect(report.check.quarantined, context).toBe(0);
      expect(report.drained, context).toBe(true);
      expect(report.generatorCrashes, context).toBe(0);
      expect(report.attacks.unexpectedAnswers, context).toBe(0);
      for (const fault of CHAOS_FAULTS) expect(report.faultCounts[fault] ?? 0, `${fault} never fired: ${context}`).toBeGreaterThan(0);
      expect(report.ok, context).toBe(true);
    },
    { timeout: 120_000 },
  );
});
