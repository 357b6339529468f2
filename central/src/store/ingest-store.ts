import type { RecordRejectReason } from "@kiosk/contracts";
import type { SQL } from "bun";
import { planBatch, type BatchPlan, type EventOwner, type LedgerEntry } from "../ingest/batch-plan.ts";
import type { CheckedRecord } from "../ingest/record-verifier.ts";
import type { Database } from "./database.ts";

/** A range of seqs central has not received. */
export interface SeqGap {
  readonly from: number;
  readonly to: number;
}

/** What storing one batch did. */
export interface StoredBatch {
  readonly plan: BatchPlan;
  /** Highest seq such that 1..ackThrough are all settled. */
  readonly ackThrough: number;
  /** Missing ranges below the highest settled seq (at most {@linkcode MAX_REPORTED_GAPS}). */
  readonly gaps: SeqGap[];
}

/** Progress of one (kiosk, epoch), for the fleet console. */
export interface KioskIngestProgress {
  readonly kioskId: string;
  readonly epoch: number;
  readonly ackThrough: number;
  /** Highest seq settled. */
  readonly maxSeq: number;
  /** Seqs missing below `maxSeq`. */
  readonly missingCount: number;
  readonly acceptedCount: number;
  readonly rejectedCount: number;
  readonly duplicateCount: number;
  readonly firstBatchAt: string;
  readonly lastBatchAt: string;
  /** Integrity alarms of this kiosk (all epochs). */
  readonly alarmCount: number;
}

/** One integrity alarm. */
export interface IntegrityAlarm {
  readonly alarmId: number;
  readonly kioskId: string;
  readonly epoch: number;
  readonly seq: number;
  readonly kind: string;
  readonly detail: string;
  readonly raisedAt: string;
}

/** Most gap ranges reported in one answer. */
export const MAX_REPORTED_GAPS = 100;
// A batch whose seqs span at most this many times their number is read as one range.
const RANGE_READ_FACTOR = 4;
// Ledger rows read per query while advancing ackThrough over earlier out-of-order arrivals.
const ACK_SCAN_PAGE = 5_000;

interface LedgerRow {
  seq: number | string;
  event_id: string | null;
  status: "accepted" | "rejected";
  reason: string | null;
  chain_hash: string | null;
  prev_hash: string | null;
  content_sha256: string;
}

interface CursorRow {
  ack_through: number | string;
  max_seq: number | string;
}

/**
 * Storage of kiosk batches: the dedupe ledger, the results table, kept
 * rejections, integrity alarms and per-kiosk cursors. One batch is one
 * transaction, with multi-row statements only (no per-record round trips).
 */
export class IngestStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  /**
   * Decides and stores one batch in one transaction and returns after COMMIT.
   * Concurrent batches of the same (kiosk, epoch) are serialised by a row
   * lock on its cursor, taken first.
   */
  async storeBatch(kioskId: string, epoch: number, records: readonly CheckedRecord[], receivedAtMs: number): Promise<StoredBatch> {
    const receivedAt = new Date(receivedAtMs).toISOString();
    return this.#db.sql.begin(async (tx) => {
      const [cursor] = (await tx`
        insert into kiosk_cursors
          (kiosk_id, epoch, ack_through, max_seq, missing_count, accepted_count, rejected_count, duplicate_count, first_batch_ms, last_batch_ms)
        values (${kioskId}, ${epoch}, 0, 0, 0, 0, 0, 0, ${receivedAtMs}, ${receivedAtMs})
        on conflict (kiosk_id, epoch) do update set last_batch_ms = excluded.last_batch_ms
        returning ack_through, max_seq`) as CursorRow[];
      const previousAck = Number(cursor?.ack_through ?? 0);
      const previousMax = Number(cursor?.max_seq ?? 0);

      const wanted = new Set<number>();
      for (const r of records) for (const s of [r.seq - 1, r.seq, r.seq + 1]) if (s >= 1) wanted.add(s);
      const lo = Math.min(...wanted);
      const hi = Math.max(...wanted);
      // Batches are runs of consecutive seqs: a range is one index range scan
      // whatever the planner's statistics; a scattered batch falls back to a list.
      const ledgerRows: LedgerRow[] =
        hi - lo < RANGE_READ_FACTOR * wanted.size
          ? await tx`
            select seq, event_id, status, reason, chain_hash, prev_hash, content_sha256 from ingest_ledger
            where kiosk_id = ${kioskId} and epoch = ${epoch} and seq between ${lo} and ${hi}`
          : await tx`
            select seq, event_id, status, reason, chain_hash, prev_hash, content_sha256 from ingest_ledger
            where kiosk_id = ${kioskId} and epoch = ${epoch} and seq in ${tx([...wanted])}`;
      const ledger = new Map(ledgerRows.filter((row) => wanted.has(Number(row.seq))).map((row) => [Number(row.seq), toEntry(row)]));

      const eventIds = [...new Set(records.flatMap((r) => (r.fault === undefined && r.record ? [r.record.eventId] : [])))];
      const eventOwners = new Map<string, EventOwner>();
      if (eventIds.length > 0) {
        // On PostgreSQL one array parameter, not one parameter per event id.
        const owners: Array<{ event_id: string; kiosk_id: string; epoch: number | string; seq: number | string }> =
          this.#db.dialect === "postgres"
            ? await tx`select event_id, kiosk_id, epoch, seq from ingest_ledger where event_id = any(${tx.array(eventIds, "TEXT")}::text[])`
            : await tx`select event_id, kiosk_id, epoch, seq from ingest_ledger where event_id in ${tx(eventIds)}`;
        for (const o of owners) eventOwners.set(o.event_id, { kioskId: o.kiosk_id, epoch: Number(o.epoch), seq: Number(o.seq) });
      }

      const plan = planBatch({ kioskId, epoch, records, ledger, eventOwners });
      await this.#write(tx, kioskId, epoch, plan, receivedAtMs, receivedAt);

      const ackThrough = await advanceAck(tx, kioskId, epoch, previousAck, plan.ledger, wanted);
      const maxSeq = Math.max(previousMax, ...plan.newLedger.map((e) => e.seq));
      let missingCount = 0;
      let gaps: SeqGap[] = [];
      if (maxSeq > ackThrough) {
        const [above] = (await tx`
          select count(*) as n, min(seq) as lo from ingest_ledger
          where kiosk_id = ${kioskId} and epoch = ${epoch} and seq > ${ackThrough}`) as Array<{ n: number | string; lo: number | string }>;
        missingCount = maxSeq - ackThrough - Number(above?.n ?? 0);
        gaps = await findGaps(tx, kioskId, epoch, ackThrough, Number(above?.lo ?? maxSeq + 1));
      }
      await tx`
        update kiosk_cursors set
          ack_through = ${ackThrough}, max_seq = ${maxSeq}, missing_count = ${missingCount},
          accepted_count = accepted_count + ${plan.counts.accepted},
          rejected_count = rejected_count + ${plan.counts.rejected},
          duplicate_count = duplicate_count + ${plan.counts.duplicate}
        where kiosk_id = ${kioskId} and epoch = ${epoch}`;
      return { plan, ackThrough, gaps };
    });
  }

  async #write(tx: SQL, kioskId: string, epoch: number, plan: BatchPlan, receivedAtMs: number, receivedAt: string): Promise<void> {
    if (this.#db.dialect === "postgres") {
      await writeRowsUnnest(tx, kioskId, epoch, plan, receivedAtMs, receivedAt);
    } else {
      await writeRowsValues(tx, kioskId, epoch, plan, receivedAtMs, receivedAt);
    }
    const rejections = uniqueBy(plan.rejections, (r) => `${r.seq}:${r.contentSha256}`).map((r) => ({
      kiosk_id: kioskId,
      epoch,
      seq: r.seq,
      content_sha256: r.contentSha256,
      reason: r.reason,
      message: r.message,
      record: r.text,
      received_at_ms: receivedAtMs,
    }));
    if (rejections.length > 0) await tx`insert into ingest_rejections ${tx(rejections)} on conflict do nothing`;
    const alarms = uniqueBy(plan.alarms, (a) => `${a.seq}:${a.kind}:${a.contentSha256}`).map((a) => ({
      kiosk_id: kioskId,
      epoch,
      seq: a.seq,
      kind: a.kind,
      detail: a.detail,
      content_sha256: a.contentSha256,
      raised_at_ms: receivedAtMs,
    }));
    if (alarms.length > 0) await tx`insert into integrity_alarms ${tx(alarms)} on conflict do nothing`;
  }

  /** Progress of every (kiosk, epoch) that sent a batch, most recent first. */
  async progress(): Promise<KioskIngestProgress[]> {
    const rows: Array<Record<string, number | string>> = await this.#db.sql`
      select c.*, (select count(*) from integrity_alarms a where a.kiosk_id = c.kiosk_id) as alarm_count
      from kiosk_cursors c order by c.last_batch_ms desc, c.kiosk_id, c.epoch`;
    return rows.map((row) => ({
      kioskId: String(row["kiosk_id"]),
      epoch: Number(row["epoch"]),
      ackThrough: Number(row["ack_through"]),
      maxSeq: Number(row["max_seq"]),
      missingCount: Number(row["missing_count"]),
      acceptedCount: Number(row["accepted_count"]),
      rejectedCount: Number(row["rejected_count"]),
      duplicateCount: Number(row["duplicate_count"]),
      firstBatchAt: new Date(Number(row["first_batch_ms"])).toISOString(),
      lastBatchAt: new Date(Number(row["last_batch_ms"])).toISOString(),
      alarmCount: Number(row["alarm_count"]),
    }));
  }

  /** The most recent integrity alarms, newest first. */
  async recentAlarms(limit: number): Promise<IntegrityAlarm[]> {
    const rows: Array<Record<string, number | string>> = await this.#db.sql`
      select alarm_id, kiosk_id, epoch, seq, kind, detail, raised_at_ms from integrity_alarms order by alarm_id desc limit ${limit}`;
    return rows.map((row) => ({
      alarmId: Number(row["alarm_id"]),
      kioskId: String(row["kiosk_id"]),
      epoch: Number(row["epoch"]),
      seq: Number(row["seq"]),
      kind: String(row["kind"]),
      detail: String(row["detail"]),
      raisedAt: new Date(Number(row["raised_at_ms"])).toISOString(),
    }));
  }
}

// The new ledger rows and accepted records as multi-row VALUES (SQLite).
async function writeRowsValues(tx: SQL, kioskId: string, epoch: number, plan: BatchPlan, receivedAtMs: number, receivedAt: string): Promise<void> {
  if (plan.newLedger.length > 0) {
    const rows = plan.newLedger.map((e) => ({
      kiosk_id: kioskId,
      epoch,
      seq: e.seq,
      event_id: e.eventId,
      status: e.status,
      reason: e.reason,
      chain_hash: e.chainHash,
      prev_hash: e.prevHash,
      content_sha256: e.contentSha256,
      received_at_ms: receivedAtMs,
    }));
    await tx`insert into ingest_ledger ${tx(rows)}`;
  }
  if (plan.accepted.length > 0) {
    const rows = plan.accepted.map(({ record, chainHash }) => ({
      kiosk_id: kioskId,
      epoch,
      seq: record!.seq,
      event_id: record!.eventId,
      kind: record!.kind,
      schema_version: record!.schemaVersion,
      created_at: record!.createdAt,
      boot_id: record!.bootId,
      body: record!.body,
      body_sha256: record!.bodySha256,
      prev_hash: record!.prevHash,
      chain_hash: chainHash!,
      key_id: record!.keyId,
      signature: record!.signature,
      received_at: receivedAt,
    }));
    await tx`insert into upstream_records ${tx(rows)}`;
  }
}

// The same rows on PostgreSQL: one array parameter per column through
// unnest, so a statement has a dozen parameters whatever the batch size
// (the VALUES form binds 15 per record and is planned anew for every size).
async function writeRowsUnnest(tx: SQL, kioskId: string, epoch: number, plan: BatchPlan, receivedAtMs: number, receivedAt: string): Promise<void> {
  const ledger = plan.newLedger;
  if (ledger.length > 0) {
    await tx`
      insert into ingest_ledger (kiosk_id, epoch, seq, event_id, status, reason, chain_hash, prev_hash, content_sha256, received_at_ms)
      select ${kioskId}, ${epoch}, u.seq, u.event_id, u.status, u.reason, u.chain_hash, u.prev_hash, u.content_sha256, ${receivedAtMs}
      from unnest(
        ${tx.array(ledger.map((e) => e.seq), "INT8")}::bigint[],
        ${tx.array(ledger.map((e) => e.eventId), "TEXT")}::text[],
        ${tx.array(ledger.map((e) => e.status), "TEXT")}::text[],
        ${tx.array(ledger.map((e) => e.reason), "TEXT")}::text[],
        ${tx.array(ledger.map((e) => e.chainHash), "TEXT")}::text[],
        ${tx.array(ledger.map((e) => e.prevHash), "TEXT")}::text[],
        ${tx.array(ledger.map((e) => e.contentSha256), "TEXT")}::text[]
      ) as u(seq, event_id, status, reason, chain_hash, prev_hash, content_sha256)`;
  }
  const accepted = plan.accepted.map(({ record, chainHash }) => ({ record: record!, chainHash: chainHash! }));
  if (accepted.length > 0) {
    const column = <T>(pick: (a: (typeof accepted)[number]) => T): T[] => accepted.map(pick);
    await tx`
      insert into upstream_records
        (kiosk_id, epoch, seq, event_id, kind, schema_version, created_at, boot_id, body, body_sha256, prev_hash, chain_hash, key_id, signature, received_at)
      select ${kioskId}, ${epoch}, u.seq, u.event_id, u.kind, u.schema_version, u.created_at, u.boot_id, u.body, u.body_sha256,
        u.prev_hash, u.chain_hash, u.key_id, u.signature, ${receivedAt}::timestamptz
      from unnest(
        ${tx.array(column((a) => a.record.seq), "INT8")}::bigint[],
        ${tx.array(column((a) => a.record.eventId), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.kind), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.schemaVersion), "INT4")}::integer[],
        ${tx.array(column((a) => a.record.createdAt), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.bootId), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.body), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.bodySha256), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.prevHash), "TEXT")}::text[],
        ${tx.array(column((a) => a.chainHash), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.keyId), "TEXT")}::text[],
        ${tx.array(column((a) => a.record.signature), "TEXT")}::text[]
      ) as u(seq, event_id, kind, schema_version, created_at, boot_id, body, body_sha256, prev_hash, chain_hash, key_id, signature)`;
  }
}

function toEntry(row: LedgerRow): LedgerEntry {
  return {
    seq: Number(row.seq),
    eventId: row.event_id,
    status: row.status,
    reason: row.reason as RecordRejectReason | null,
    chainHash: row.chain_hash,
    prevHash: row.prev_hash,
    contentSha256: row.content_sha256,
  };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// Walks ackThrough forward over settled seqs: first over those the batch
// looked at, then, when the walk leaves that window, over ledger pages
// (records that arrived earlier, out of order).
async function advanceAck(
  tx: SQL,
  kioskId: string,
  epoch: number,
  from: number,
  known: ReadonlyMap<number, LedgerEntry>,
  looked: ReadonlySet<number>,
): Promise<number> {
  let ack = from;
  while (known.has(ack + 1)) ack++;
  if (looked.has(ack + 1)) return ack;
  for (;;) {
    const rows: Array<{ seq: number | string }> = await tx`
      select seq from ingest_ledger where kiosk_id = ${kioskId} and epoch = ${epoch} and seq > ${ack}
      order by seq limit ${ACK_SCAN_PAGE}`;
    let contiguous = 0;
    for (const row of rows) {
      if (Number(row.seq) !== ack + 1) break;
      ack++;
      contiguous++;
    }
    if (contiguous < ACK_SCAN_PAGE) return ack;
  }
}

async function findGaps(tx: SQL, kioskId: string, epoch: number, ackThrough: number, lowestAbove: number): Promise<SeqGap[]> {
  const gaps: SeqGap[] = [];
  // ackThrough + 1 is missing by definition; the first gap runs up to the lowest seq held above it.
  if (lowestAbove > ackThrough + 1) gaps.push({ from: ackThrough + 1, to: lowestAbove - 1 });
  const rows: Array<{ seq: number | string; next_seq: number | string }> = await tx`
    select seq, next_seq from (
      select seq, lead(seq) over (order by seq) as next_seq from ingest_ledger
      where kiosk_id = ${kioskId} and epoch = ${epoch} and seq > ${ackThrough}
    ) t
    where next_seq > seq + 1 order by seq limit ${MAX_REPORTED_GAPS}`;
  for (const row of rows) gaps.push({ from: Number(row.seq) + 1, to: Number(row.next_seq) - 1 });
  return gaps.slice(0, MAX_REPORTED_GAPS);
}
