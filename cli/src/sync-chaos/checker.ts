/**
 * The checker of the chaos harness: compares what each kiosk reported as
 * saved (its journal) and what it committed (its database) with what
 * central stored, and re-verifies every receipt the kiosks kept with
 * central's public key.
 */
import { Database } from "bun:sqlite";
import { fromBase64Url, importVerifyKey, receiptSigningInput, verifySignature } from "@kiosk/contracts";
import { SQL } from "bun";
import { readJournal } from "./generator.ts";

/** A genuine kiosk to check. */
export interface CheckedKiosk {
  readonly kioskId: string;
  readonly dbPath: string;
  readonly journalPath: string;
}

/** Where central's data is: a PostgreSQL URL or a SQLite file. */
export type CentralStore = { readonly url: string } | { readonly sqlitePath: string };

/** What the checker found. */
export interface CheckReport {
  /** Results reported as saved (complete journal lines). */
  readonly saved: number;
  /** Records committed in the kiosk databases (saved, plus those whose journal line a kill cut off). */
  readonly committed: number;
  /** Saved results missing at central. */
  readonly lost: number;
  /** Extra rows at central: an event id stored twice, or a (kiosk, epoch, seq) stored twice. */
  readonly duplicated: number;
  /** Committed records not at central (whether journaled or not). */
  readonly committedNotDelivered: number;
  /** Committed records whose journal line was never written (killed between commit and journal). */
  readonly committedNotJournaled: number;
  /** Records at central in a genuine kiosk's name that the kiosk never made (or made differently). */
  readonly unmatchedAtCentral: number;
  /** Records still pending or quarantined at the kiosks. */
  readonly pending: number;
  readonly quarantined: number;
  /** Integrity alarms and rejected seqs central holds for the genuine kiosks (expected none). */
  readonly alarms: number;
  readonly rejectedAtCentral: number;
  readonly receipts: { readonly checked: number; readonly valid: number; readonly invalid: number };
  /** Event ids the attacker made up that central stored. */
  readonly forgedStored: number;
}

interface KioskRecordRow {
  kiosk_id: string;
  epoch: number;
  seq: number;
  event_id: string;
  record_hash: string;
  state: string;
}

interface ReceiptRow {
  kiosk_id: string;
  epoch: number;
  ack_through: number;
  batch_digest: string;
  results_digest: string | null;
  received_at: string;
  key_id: string;
  signature: string;
}

interface CentralRow {
  kiosk_id: string;
  epoch: number | string;
  seq: number | string;
  event_id: string;
  chain_hash: string;
}

const recordKey = (kioskId: string, epoch: number, seq: number): string => `${kioskId}/${epoch}/${seq}`;

function openCentral(store: CentralStore): SQL {
  return "url" in store ? new SQL({ url: store.url, max: 2 }) : new SQL({ adapter: "sqlite", filename: store.sqlitePath });
}

/**
 * Checks the kiosks against central. Run it after every process has stopped.
 * @param centralPublicKey central's raw Ed25519 receipt key.
 * @param forgedEventIds event ids the attacker made up.
 */
export async function checkDelivery(
  kiosks: readonly CheckedKiosk[],
  store: CentralStore,
  centralPublicKey: Uint8Array,
  forgedEventIds: readonly string[],
): Promise<CheckReport> {
  const verifyKey = await importVerifyKey(centralPublicKey);
  const journaled = new Map<string, number>();
  const committed = new Map<string, KioskRecordRow>();
  let pending = 0;
  let quarantined = 0;
  const receipts = { checked: 0, valid: 0, invalid: 0 };

  for (const kiosk of kiosks) {
    for (const line of readJournal(kiosk.journalPath)) {
      const eventId = line.slice(0, 36);
      journaled.set(eventId, (journaled.get(eventId) ?? 0) + 1);
    }
    const db = new Database(kiosk.dbPath, { readonly: true, strict: true });
    try {
      const rows = db
        .query<KioskRecordRow, []>("SELECT r.kiosk_id, r.epoch, r.seq, r.event_id, r.record_hash, o.state FROM records r JOIN outbox o ON o.record_id = r.id")
        .all();
      for (const row of rows) {
        committed.set(recordKey(row.kiosk_id, row.epoch, row.seq), row);
        if (row.state === "pending") pending += 1;
        if (row.state === "quarantined") quarantined += 1;
      }
      const hasDigest = db.query<{ name: string }, []>("SELECT name FROM pragma_table_info('receipts')").all().some((c) => c.name === "results_digest");
      const receiptRows = db
        .query<ReceiptRow, []>(
          `SELECT kiosk_id, epoch, ack_through, batch_digest, ${hasDigest ? "results_digest" : "NULL AS results_digest"}, received_at, key_id, signature FROM receipts`,
        )
        .all();
      for (const r of receiptRows) {
        receipts.checked += 1;
        const ok =
          r.results_digest !== null &&
          (await verifySignature(
            verifyKey,
            fromBase64Url(r.signature),
            receiptSigningInput({
              kioskId: r.kiosk_id,
              epoch: r.epoch,
              ackThrough: r.ack_through,
              batchDigest: r.batch_digest,
              resultsDigest: r.results_digest,
              receivedAt: r.received_at,
              keyId: r.key_id,
            }),
          ));
        if (ok) receipts.valid += 1;
        else receipts.invalid += 1;
      }
    } finally {
      db.close();
    }
  }

  const sql = openCentral(store);
  try {
    const ids = kiosks.map((k) => k.kioskId);
    const central: CentralRow[] = await sql`select kiosk_id, epoch, seq, event_id, chain_hash from upstream_records where kiosk_id in ${sql(ids)}`;
    const centralEvents = new Map<string, number>();
    const centralKeys = new Map<string, number>();
    let unmatched = 0;
    for (const row of central) {
      const key = recordKey(row.kiosk_id, Number(row.epoch), Number(row.seq));
      centralEvents.set(row.event_id, (centralEvents.get(row.event_id) ?? 0) + 1);
      centralKeys.set(key, (centralKeys.get(key) ?? 0) + 1);
      const mine = committed.get(key);
      if (!mine || mine.record_hash !== row.chain_hash || mine.event_id !== row.event_id) unmatched += 1;
    }
    let duplicated = 0;
    for (const n of centralEvents.values()) duplicated += n - 1;
    for (const n of centralKeys.values()) duplicated += n - 1;
    for (const n of journaled.values()) duplicated += n - 1;

    let lost = 0;
    for (const eventId of journaled.keys()) if (!centralEvents.has(eventId)) lost += 1;
    let committedNotDelivered = 0;
    let committedNotJournaled = 0;
    for (const row of committed.values()) {
      if (!centralEvents.has(row.event_id)) committedNotDelivered += 1;
      if (!journaled.has(row.event_id)) committedNotJournaled += 1;
    }

    const [alarmRow] = (await sql`select count(*) as n from integrity_alarms where kiosk_id in ${sql(ids)}`) as Array<{ n: number | string }>;
    const [rejectedRow] = (await sql`select count(*) as n from ingest_ledger where status = 'rejected' and kiosk_id in ${sql(ids)}`) as Array<{
      n: number | string;
    }>;
    let forgedStored = 0;
    for (let i = 0; i < forgedEventIds.length; i += 500) {
      const chunk = forgedEventIds.slice(i, i + 500);
      const [row] = (await sql`select count(*) as n from upstream_records where event_id in ${sql(chunk)}`) as Array<{ n: number | string }>;
      forgedStored += Number(row?.n ?? 0);
    }
    return {
      saved: journaled.size,
      committed: committed.size,
      lost,
      duplicated,
      committedNotDelivered,
      committedNotJournaled,
      unmatchedAtCentral: unmatched,
      pending,
      quarantined,
      alarms: Number(alarmRow?.n ?? 0),
      rejectedAtCentral: Number(rejectedRow?.n ?? 0),
      receipts,
      forgedStored,
    };
  } finally {
    await sql.close();
  }
}
