/**
 * The verdict of a chaos run and its JSON report: the run passes only when
 * nothing was lost or duplicated, no forgery was accepted, every receipt is
 * valid, the backlog drained and no generator crashed.
 */
import type { CheckReport } from "./checker.ts";
import type { NemesisTally } from "./nemesis.ts";

/** The JSON report of a run. */
export interface SyncChaosReport {
  readonly ok: boolean;
  readonly seed: number;
  readonly backend: "postgres" | "sqlite";
  readonly centrals: number;
  readonly kiosks: number;
  /** Results the kiosks reported as saved. */
  readonly results: number;
  /** Faults injected that really fired. */
  readonly faults: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly forgeriesAccepted: number;
  readonly receiptsInvalid: number;
  readonly receiptsChecked: number;
  /** Fired count per fault kind. */
  readonly faultCounts: Readonly<Record<string, number>>;
  /** Fault kinds that were tried but never fired, and kinds skipped with the reason. */
  readonly notFired: readonly string[];
  readonly skipped: Readonly<Record<string, string>>;
  readonly check: CheckReport;
  readonly attacks: { readonly sent: number; readonly unexpectedAnswers: number; readonly acceptedRecords: number };
  readonly refusedWhileFull: number;
  readonly generatorCrashes: number;
  readonly drained: boolean;
  readonly seconds: number;
  /** Work folder with every log, kept when the run failed or `keep` was set. */
  readonly workDir: string | null;
}

/** What a finished run measured. */
export interface RunOutcome {
  readonly seed: number;
  readonly backend: "postgres" | "sqlite";
  readonly centrals: number;
  readonly kiosks: number;
  readonly check: CheckReport;
  readonly tally: NemesisTally;
  readonly drained: boolean;
  readonly seconds: number;
  readonly workDir: string;
  /** Keep the work folder even when the run passed. */
  readonly keep: boolean;
}

/** Judges a finished run; the work folder is named in the report when it is to be kept. */
export function buildReport(run: RunOutcome): SyncChaosReport {
  const { check, tally } = run;
  const forgeriesAccepted = tally.attacks.acceptedRecords + check.forgedStored + check.unmatchedAtCentral;
  const ok =
    check.lost === 0 &&
    check.duplicated === 0 &&
    forgeriesAccepted === 0 &&
    check.receipts.invalid === 0 &&
    check.committedNotDelivered === 0 &&
    check.quarantined === 0 &&
    run.drained &&
    tally.crashes === 0;
  const skipped: Record<string, string> = {};
  if (run.centrals === 1) skipped["two-centrals"] = "SQLite backend: one central process (two centrals need a shared PostgreSQL)";
  return {
    ok,
    seed: run.seed,
    backend: run.backend,
    centrals: run.centrals,
    kiosks: run.kiosks,
    results: check.saved,
    faults: tally.faults,
    lost: check.lost,
    duplicated: check.duplicated,
    forgeriesAccepted,
    receiptsInvalid: check.receipts.invalid,
    receiptsChecked: check.receipts.checked,
    faultCounts: tally.faultCounts,
    notFired: tally.notFired,
    skipped,
    check,
    attacks: tally.attacks,
    refusedWhileFull: tally.refusedWhileFull,
    generatorCrashes: tally.crashes,
    drained: run.drained,
    seconds: run.seconds,
    workDir: !ok || run.keep ? run.workDir : null,
  };
}
