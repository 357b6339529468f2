/** The outbox sender's storage port over the kiosk's SQLite database. */
import type { Database } from "bun:sqlite";
import { KioskError, type Logger, type UpstreamRecord } from "@kiosk/contracts";
import type { OutboxRepository, OutboxStats, PendingBatch, Settlement } from "../outbox/outbox-repository.ts";
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

  async nextBatch(maxRecords: number): Promise<PendingBatch | undefined> {
    const rows = this.#db
      .query<RecordRow, [number]>(
        `SELECT ${RECORD_COLUMNS} FROM outbox o JOIN records r ON r.id = o.record_id
         WHERE o.state = 'pending' ORDER BY o.record_id LIMIT ?`,
      )
      .all(Math.max(1, Math.trunc(maxRecords)));
    const head = rows[0];
    if (!head) return undefined;
    // A batch carries one epoch: stop at the first record of another (kiosk, epoch).
    const same: RecordRow[] = [];
    for (const row of rows) {
      if (row.kiosk_id !== head.kiosk_id || row.epoch !== head.epoch) break;
      same.push(row);
    }
    const records: UpstreamRecord[] = [];
    const unreadable: number[] = [];
    for (const row of same) {
      let body: string | null;
      try {
        body = await openBody(this.#sealer, row);
      } catch (error) {
        this.#log.error("cannot decrypt a pending record", { epoch: row.epoch, seq: row.seq, error });
        body = null;
      }
      if (body === null) unreadable.push(row.seq);
      const header = headerOf(row);
      records.push({
        seq: header.seq,
        eventId: header.eventId,
        kind: header.kind,
        schemaVersion: header.schemaVersion,
        createdAt: header.createdAt,
        bootId: header.bootId,
        body: body ?? "",
        bodySha256: header.bodySha256,
        prevHash: header.prevHash,
        keyId: header.keyId,
        signature: row.signature,
      });
    }
    return { kioskId: head.kiosk_id, epoch: head.epoch, records, unreadable };
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
      const ack = db.query("UPDATE outbox SET state = 'acked', settled_at_ms = ?, receipt_id = ? WHERE record_id = ? AND state = 'pending'");
      const quarantine = db.query(
        "UPDATE outbox SET state = 'quarantined', settled_at_ms = ?, receipt_id = ?, reject_reason = ?, reject_message = ? WHERE record_id = ? AND state = 'pending'",
      );
      if (settlement.acked.length > 0 && receiptId === null) throw new Error("acknowledging records needs a receipt");
      for (const seq of settlement.acked) {
        const row = recordId.get(settlement.kioskId, settlement.epoch, seq);
        if (row) ack.run(settlement.atMs, receiptId, row.id);
      }
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
