import { describe, expect, test } from "bun:test";
import type { CheckReport } from "./checker.ts";
import { CHAOS_FAULTS, type NemesisTally } from "./nemesis.ts";
import { buildReport, type RunOutcome } from "./report.ts";

const CLEAN_CHECK: CheckReport = {
  saved: 240,
  committed: 241,
  lost: 0,
  duplicated: 0,
  committedNotDelivered: 0,
  committedNotJournaled: 1,
  unmatchedAtCentral: 0,
  pending: 0,
  quarantined: 0,
  alarms: 0,
  rejectedAtCentral: 0,
  receipts: { checked: 30, valid: 30, invalid: 0 },
  forgedStored: 0,
};

const CLEAN_TALLY: NemesisTally = {
  faultCounts: Object.fromEntries(CHAOS_FAULTS.map((f) => [f, 1])),
  faults: CHAOS_FAULTS.length,
  notFired: [],
  crashes: 0,
  refusedWhileFull: 3,
  forgedEventIds: ["forged-1"],
  attacks: { sent: 5, unexpectedAnswers: 0, acceptedRecords: 0 },
};

function outcome(change: { check?: Partial<CheckReport>; tally?: Partial<NemesisTally>; run?: Partial<RunOutcome> } = {}): RunOutcome {
  return {
    seed: 5,
    backend: "postgres",
    centrals: 2,
    kiosks: 3,
    check: { ...CLEAN_CHECK, ...change.check },
    tally: { ...CLEAN_TALLY, ...change.tally },
    drained: true,
    seconds: 42.5,
    workDir: "/tmp/sync-chaos-x",
    keep: false,
    ...change.run,
  };
}

describe("buildReport", () => {
  test("a clean run passes, reports its figures and drops its work folder", () => {
    expect(buildReport(outcome())).toMatchObject({
      ok: true,
      results: 240,
      faults: CHAOS_FAULTS.length,
      lost: 0,
      duplicated: 0,
      forgeriesAccepted: 0,
      receiptsChecked: 30,
      refusedWhileFull: 3,
      generatorCrashes: 0,
      skipped: {},
      workDir: null,
    });
    expect(buildReport(outcome({ run: { keep: true } })).workDir).toBe("/tmp/sync-chaos-x");
  });

  test("any loss, duplicate, accepted forgery, bad receipt, undelivered record, crash or missed drain fails the run and keeps its folder", () => {
    for (const change of [
      { check: { lost: 1 } },
      { check: { duplicated: 1 } },
      { check: { forgedStored: 1 } },
      { check: { unmatchedAtCentral: 1 } },
      { tally: { attacks: { sent: 5, unexpectedAnswers: 0, acceptedRecords: 1 } } },
      { check: { receipts: { checked: 30, valid: 29, invalid: 1 } } },
      { check: { committedNotDelivered: 1 } },
      { check: { quarantined: 1 } },
      { tally: { crashes: 1 } },
      { run: { drained: false } },
    ]) {
      const report = buildReport(outcome(change));
      expect(report.ok, JSON.stringify(change)).toBe(false);
      expect(report.workDir).toBe("/tmp/sync-chaos-x");
    }
  });

  test("the three kinds of accepted forgery add up; one central is reported as a skipped part", () => {
    const report = buildReport(outcome({ check: { forgedStored: 2, unmatchedAtCentral: 1 }, tally: { attacks: { sent: 5, unexpectedAnswers: 0, acceptedRecords: 4 } }, run: { backend: "sqlite", centrals: 1 } }));
    expect(report.forgeriesAccepted).toBe(7);
    expect(Object.keys(report.skipped)).toEqual(["two-centrals"]);
  });
});
