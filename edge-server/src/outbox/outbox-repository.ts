/**
 * The storage the outbox sender needs, as a port: the Bun SQLite store
 * implements it (`store/sqlite-outbox.ts`); another runtime can too.
 */
import type { Receipt, UpstreamRecord } from "@kiosk/contracts";

/** The oldest pending records of one (kiosk, epoch), oldest first. */
export interface PendingBatch {
  readonly kioskId: string;
  readonly epoch: number;
  readonly records: readonly UpstreamRecord[];
  /**
   * Seqs whose sealed body could not be opened. They go out with an empty
   * body, so central settles (refuses) them and no gap blocks the sequence;
   * their signed header still proves they existed.
   */
  readonly unreadable: readonly number[];
}

/** A record central refused, to be quarantined. */
export interface QuarantinedRecord {
  readonly seq: number;
  /** A `RecordRejectReason`, or `refused-<status>` when central refused a one-record batch. */
  readonly reason: string;
  /** Central's explanation, already stripped of personal data. */
  readonly message: string | null;
}

/** What a verified receipt settles, written in one transaction. */
export interface Settlement {
  readonly kioskId: string;
  readonly epoch: number;
  /** Seqs acknowledged by the receipt. */
  readonly acked: readonly number[];
  readonly quarantined: readonly QuarantinedRecord[];
  /** The verified receipt (absent when a batch-level refusal quarantines a record without one). */
  readonly receipt: Receipt | null;
  readonly atMs: number;
}

/** Counts for the health report. */
export interface OutboxStats {
  readonly backlog: number;
  /** When the oldest pending record was saved (kiosk clock), or null when none. */
  readonly oldestPendingAtMs: number | null;
  readonly quarantined: number;
  /** When central last acknowledged records (kiosk clock), or null when never. */
  readonly lastAckAtMs: number | null;
}

/** A record's place in the queue: its (kiosk, epoch, seq). */
export interface QueuePosition {
  readonly kioskId: string;
  readonly epoch: number;
  readonly seq: number;
}

/** Which records head the queue, without their bodies. */
export interface PendingHead {
  readonly kioskId: string;
  readonly epoch: number;
  /** Seqs of the oldest pending records of (kioskId, epoch), oldest first. */
  readonly seqs: readonly number[];
}

/** The sender's view of the outbox. */
export interface OutboxRepository {
  /**
   * Up to `maxRecords` oldest pending records, all of the oldest pending (kiosk, epoch), as many
   * as fit in a `BatchRequest` of `maxBytes` of JSON (UTF-8; the first record always counts);
   * `undefined` when none. Rows are read only up to the budget, and only the bodies returned are opened.
   * With `after`, only records queued after that one count: the sender reads the batch that
   * follows the one in flight while it waits for the receipt (it sends it only after checking,
   * with {@linkcode OutboxRepository.pendingHead}, that the batch still heads the queue).
   */
  nextBatch(maxRecords: number, maxBytes: number, after?: QueuePosition): Promise<PendingBatch | undefined>;
  /** The (kiosk, epoch) and seqs that {@linkcode OutboxRepository.nextBatch} would return now; `undefined` when none. */
  pendingHead(maxRecords: number): PendingHead | undefined;
  /** Highest seq ever created in (kioskId, epoch), 0 when none. */
  lastSeq(kioskId: string, epoch: number): number;
  /** Applies a settlement in one transaction; rows that are no longer pending are left alone. */
  settle(settlement: Settlement): void;
  stats(): OutboxStats;
}
