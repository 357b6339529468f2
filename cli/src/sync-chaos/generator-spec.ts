/**
 * What the orchestrator tells a kiosk generator process (a JSON file whose
 * path is the generator's only argument), and what the generator reports
 * back in its status file.
 */

/** Where a generator kills itself with SIGKILL, to hit a precise point of the store-and-forward cycle. */
export type KillPhase =
  /** During the n-th save: a helper thread kills the process 0-`delayUs` µs after the save starts (sign, seal, commit with fsync). */
  | "commit"
  /** When central's 200 answer to the n-th batch has fully arrived: central has committed, the kiosk has stored no ack. */
  | "after-send"
  /** 0-`delayUs` µs after the n-th batch answer arrived: while the receipt is checked and the ack update commits. */
  | "ack-update";

/** A self-kill armed for one run of a generator. */
export interface KillPlan {
  readonly phase: KillPhase;
  /** Which save (commit) or which 200 batch answer (after-send, ack-update) triggers it, from 1. */
  readonly after: number;
  /** Delay of the helper thread's kill after the trigger, in microseconds. */
  readonly delayUs: number;
}

/** One run of a generator process. */
export interface GeneratorSpec {
  readonly kioskId: string;
  /** Central's URL as the kiosk sees it (the chaos proxy). */
  readonly centralUrl: string;
  /** Results journaled once this many lines are in the journal: then it only drains. */
  readonly target: number;
  /** Pause between saves, in milliseconds. */
  readonly intervalMs: number;
  /** The "saved" journal: one `eventId epoch seq` line per result whose save resolved. */
  readonly journalPath: string;
  /** Where the generator writes its status (replaced atomically). */
  readonly statusPath: string;
  readonly seed: number;
  /** Added to the real time: the kiosk clock can be set to 1970 or a year ahead. */
  readonly clockOffsetMs: number;
  /** Runs only the outbox sender on the kiosk database (a second sender for the same kiosk). */
  readonly senderOnly: boolean;
  readonly kill: KillPlan | null;
  /** Input of the edge `syncConfigSchema` (paths, central key, budget, batch and back-off settings). */
  readonly sync: Readonly<Record<string, unknown>>;
}

/** A generator's status file. */
export interface GeneratorStatus {
  readonly pid: number;
  readonly atMs: number;
  readonly journaled: number;
  /** Saves refused because storage is full (fail closed; never journaled). */
  readonly refused: number;
  /** Saves that failed for another reason, by error code. */
  readonly failed: Readonly<Record<string, number>>;
  /** Pending records in the outbox. */
  readonly backlog: number;
  /** Kiosk clock (with this run's offset) when central last acknowledged records, or null. */
  readonly lastAckAtMs: number | null;
  readonly quarantined: number;
  readonly acceptingResults: boolean;
  /** True once the journal holds `target` lines. */
  readonly done: boolean;
}
