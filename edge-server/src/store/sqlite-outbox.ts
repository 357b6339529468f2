/** The outbox sender's storage port over the kiosk's SQLite database. */
import type { Database } from "bun:sqlite";
import { KioskError, type Logger, type UpstreamRecord } from "@kiosk/contracts";
import { upstreamRecord, upstreamRecordBytesBound } from "../domain/record-chain.ts";
import { batchEnvelopeBytes } from "../outbox/encode-batch.ts";
import type { OutboxRepository, OutboxStats, PendingBatch, PendingHead, QueuePosition, Settlement } from "../outbox/outbox-repository.ts";
import type { DataSealer } from "./data-sealer.ts";
import { headerOf, openBody, RECORD_COLUMNS, type RecordRow } from "./record-row.ts";

/**
 * Implements {@linkcode OutboxRepository} on the `records`, `outbox` and
 * `receipts` tables.
 */
export class SqliteOutbox implements OutboxRepository {
  readonly #db: Database;
  readonly #sealer: DataSealer;
  readonly #log: Logger;

  constructor(db: Database, sealer: DataSealer, log: Logger) {
    this.#db = db;
    this.#sealer = sealer;
    this.#log = log;
  }

  async nextBatch(maxRecords: number, maxBytes: number, after?: QueuePosition): Promise<PendingBatch | undefined> {
    const limit = Math.max(1, Math.trunc(maxRecords));
    const pending = after
      ? this.#db
          .query<RecordRow, [string, number, number, number]>(
            `SELECT ${RECORD_COLUMNS} FROM outbox o JOIN records r ON r.id = o.record_id
             WHERE o.state = 'pending' AND o.record_id > coalesce((SELECT id FROM records WHERE kiosk_id = ? AND epoch = ? AND seq = ?), 0)
             ORDER BY o.record_id LIMIT ?`,
          )
          .iterate(after.kioskId, after.epoch, after.seq, limit)
      : this.#db
          .query<RecordRow, [number]>(
            `SELECT ${RECORD_COLUMNS} FROM outbox o JOIN records r ON r.id = o.record_id
             WHERE o.state = 'pending' ORDER BY o.record_id LIMIT ?`,
          )
          .iterate(limit);
    const same = leadingRowsWithin(pending, maxBytes);
    const head = same[0];
    if (!head) return undefined;
    const records: UpstreamRecord[] = [];
    const unreadable: number[] = [];
    // Only the bodies that are sent are opened, all at once: one await, not one per record.
    const bodies = await Promise.all(
      same.map((row) =>
        openBody(this.#sealer, row).catch((error: unknown) => {
          this.#log.error("cannot decrypt a pending record", { epoch: row.epoch, seq: row.seq, error });
          return null;
        }),
      ),
    );
    for (const [i, row] of same.entries()) {
      const body = bodies[i] ?? null;
      if (body === null) unreadable.push(row.seq);
      records.push(upstreamRecord(headerOf(row), body ?? "", row.signature));
    }
    return { kioskId: head.kiosk_id, epoch: head.epoch, records, unreadable };
  }

  pendingHead(maxRecords: number): PendingHead | undefined {
    const rows = this.#db
      .query<Pick<RecordRow, "kiosk_id" | "epoch" | "seq">, [number]>(
        `SELECT r.kiosk_id, r.epoch, r.seq FROM outbox o JOIN records r ON r.id = o.record_id
         WHERE o.state = 'pending' ORDER BY o.record_id LIMIT ?`,
      )
      .all(Math.max(1, Math.trunc(maxRecords)));
    const same = sameEpoch(rows);
    const head = same[0];
    return head ? { kioskId: head.kiosk_id, epoch: head.epoch, seqs: same.map((row) => row.seq) } : undefined;
  }

  lastSeq(kioskId: string, epoch: number): number {
    const fromRecords =
      this.#db
        .query<{ seq: number | null }, [string, number]>("SELECT max(seq) AS seq FROM records WHERE kiosk_id = ? AND epoch = ?")
        .get(kioskId, epoch)?.seq ?? 0;
    // The counter also covers seqs whose rows were removed by hand.
    const identity = this.#db
      .query<{ kiosk_id: string; epoch: number; next_seq: number }, []>("SELECT kiosk_id, epoch, next_seq FROM kiosk_identity WHERE singleton = 1")
      .get();
    const fromCounter = identity && identity.kiosk_id === kioskId && identity.epoch === epoch ? identity.next_seq - 1 : 0;
    return Math.max(fromRecords, fromCounter);
  }

  settle(settlement: Settlement): void {
    const db = this.#db;
    const write = db.transaction(() => {
      let receiptId: number | null = null;
      const r = settlement.receipt;
      if (r) {
        receiptId = (
          db
            .query<{ id: number }, (string | number)[]>(
              `INSERT INTO receipts (kiosk_id, epoch, ack_through, batch_digest, results_digest, received_at, key_id, signature, stored_at_ms)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
            )
            .get(r.kioskId, r.epoch, r.ackThrough, r.batchDigest, r.resultsDigest, r.receivedAt, r.keyId, r.signature, settlement.atMs) as { id: number }
        ).id;
      }
      const recordId = db.query<{ id: number }, [string, number, number]>("SELECT id FROM records WHERE kiosk_id = ? AND epoch = ? AND seq = ?");
      const ackRange = db.query(
        `UPDATE outbox SET state = 'acked', settled_at_ms = ?, receipt_id = ?
         WHERE state = 'pending' AND record_id IN (SELECT id FROM records WHERE kiosk_id = ? AND epoch = ? AND seq BETWEEN ? AND ?)`,
      );
      const quarantine = db.query(
        "UPDATE outbox SET state = 'quarantined', settled_at_ms = ?, receipt_id = ?, reject_reason = ?, reject_message = ? WHERE record_id = ? AND state = 'pending'",
      );
      if (settlement.acked.length > 0 && receiptId === null) throw new Error("acknowledging records needs a receipt");
      // One statement per run of consecutive seqs (a whole batch is usually one run).
      for (const [from, to] of seqRuns(settlement.acked)) ackRange.run(settlement.atMs, receiptId, settlement.kioskId, settlement.epoch, from, to);
      for (const q of settlement.quarantined) {
        const row = recordId.get(settlement.kioskId, settlement.epoch, q.seq);
        if (row) quarantine.run(settlement.atMs, receiptId, q.reason, q.message, row.id);
      }
    });
    try {
      write.immediate();
    } catch (cause) {
      throw new KioskError("store-failed", `Cannot record central's receipt: ${(cause as Error).message}`, { cause });
    }
  }

  stats(): OutboxStats {
    const db = this.#db;
    const count = db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM outbox WHERE state = ?");
    const oldest = db.query<{ at: number }, []>("SELECT enqueued_at_ms AS at FROM outbox WHERE state = 'pending' ORDER BY record_id LIMIT 1").get();
    const lastAck = db.query<{ at: number }, []>("SELECT stored_at_ms AS at FROM receipts ORDER BY id DESC LIMIT 1").get();
    return {
      backlog: count.get("pending")?.n ?? 0,
      oldestPendingAtMs: oldest?.at ?? null,
      quarantined: count.get("quarantined")?.n ?? 0,
      lastAckAtMs: lastAck?.at ?? null,
    };
  }

  /**
   * Puts every quarantined record back in the queue, for a technician once
   * the cause is fixed centrally. Returns how many were requeued.
   */
  requeueQuarantined(): number {
    const changes = this.#db
      .query("UPDATE outbox SET state = 'pending', settled_at_ms = NULL, receipt_id = NULL, reject_reason = NULL, reject_message = NULL WHERE state = 'quarantined'")
      .run().changes;
    if (changes > 0) this.#log.info("requeued quarantined records", { records: changes });
    return changes;
  }
}

// A batch carries one epoch: the leading rows of the first row's (kiosk, epoch).
function sameEpoch<T extends Pick<RecordRow, "kiosk_id" | "epoch">>(rows: readonly T[]): T[] {
  const head = rows[0];
  if (!head) return [];
  const end = rows.findIndex((row) => row.kiosk_id !== head.kiosk_id || row.epoch !== head.epoch);
  return end === -1 ? [...rows] : rows.slice(0, end);
}

/**
 * The leading rows of the first row's (kiosk, epoch) whose records fit in a
 * `BatchRequest` of `maxBytes` (the first always counts), read one by one
 * and no further than the first that does not fit. Sizes come from the rows
 * (`wire_bytes`, or an upper bound for rows saved before it was kept), so
 * no body is opened to measure it.
 */
function leadingRowsWithin(rows: Iterable<RecordRow>, maxBytes: number): RecordRow[] {
  const taken: RecordRow[] = [];
  let size = 0;
  for (const row of rows) {
    const head = taken[0];
    if (head && (row.kiosk_id !== head.kiosk_id || row.epoch !== head.epoch)) break;
    const bytes = row.wire_bytes ?? upstreamRecordBytesBound(headerOf(row), row.signature, row.body_bytes);
    if (!head) size = batchEnvelopeBytes(row.kiosk_id, row.epoch) + bytes;
    else if (size + 1 + bytes > maxBytes) break;
    else size += 1 + bytes;
    taken.push(row);
  }
  return taken;
}

// Sorted, distinct seqs as runs of consecutive values: [1, 2, 3, 7] → [[1, 3], [7, 7]].
function seqRuns(seqs: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const seq of sorted) {
    const last = runs[runs.length - 1];
    if (last && seq === last[1] + 1) last[1] = seq;
    else runs.push([seq, seq]);
  }
  return runs;
}
