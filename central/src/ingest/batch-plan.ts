/**
 * The decisions of one batch against the ledger, as a pure function: which
 * records are accepted, which are duplicates, which are rejected, what is
 * written and which integrity alarms are raised. The store runs it inside the
 * batch's transaction, after locking the kiosk's cursor.
 *
 * Rules (sync.md §4.1, §4.4):
 * - (kiosk, epoch, seq) is settled at most once, forever. A record with the
 *   same content as the settled one gets the settled verdict again
 *   (`duplicate` if it was accepted). A *verified* record with different
 *   content is `rejected: conflict`, raises an alarm and never overwrites.
 * - A record that fails its checks and whose seq is not settled yet is
 *   settled as rejected (so `ackThrough` can move past it and the kiosk's
 *   queue goes on); its full text is kept in `ingest_rejections`.
 * - A verified record whose `prevHash` does not match the chain hash of
 *   seq−1 (when central holds seq−1 or it is in the same batch) is still
 *   accepted: it is authentic and losing it would be worse; the broken link
 *   raises a `chain-break` alarm for a person to investigate (deleted or
 *   edited rows on the kiosk, or a kiosk database restored from backup).
 * - Only accepted records claim their `eventId`; a verified record whose
 *   `eventId` already belongs to another record is `rejected: conflict`.
 */
import { GENESIS_HASH, RECORD_REJECT_REASONS, type RecordRejectReason, type RecordStatus } from "@kiosk/contracts";
import type { CheckedRecord } from "./record-verifier.ts";

/** A settled (kiosk, epoch, seq) as the ledger holds it. */
export interface LedgerEntry {
  readonly seq: number;
  /** Set for accepted records only. */
  readonly eventId: string | null;
  readonly status: "accepted" | "rejected";
  readonly reason: RecordRejectReason | null;
  readonly chainHash: string | null;
  readonly prevHash: string | null;
  readonly contentSha256: string;
}

/** Where an event id is already stored. */
export interface EventOwner {
  readonly kioskId: string;
  readonly epoch: number;
  readonly seq: number;
}

/** Kinds of integrity alarm. */
export const ALARM_KINDS = {
  conflict: "conflict",
  chainBreak: "chain-break",
  badSignature: "bad-signature",
  bodyDigestMismatch: "body-digest-mismatch",
  unknownKey: "unknown-key",
  badSchema: "bad-schema",
} as const;

/** One of {@linkcode ALARM_KINDS}. */
export type AlarmKind = (typeof ALARM_KINDS)[keyof typeof ALARM_KINDS];

/** An integrity alarm to record (deduplicated on seq, kind and content). */
export interface PlannedAlarm {
  readonly seq: number;
  readonly kind: AlarmKind;
  readonly detail: string;
  readonly contentSha256: string;
}

/** A rejected record to keep in full. */
export interface PlannedRejection {
  readonly seq: number;
  readonly reason: RecordRejectReason;
  readonly message: string;
  readonly contentSha256: string;
  readonly text: string;
}

/** Everything one batch writes, and its per-record answers. */
export interface BatchPlan {
  /** One status per request record, in request order. */
  readonly statuses: RecordStatus[];
  readonly newLedger: LedgerEntry[];
  /** Records to archive in the results table. */
  readonly accepted: CheckedRecord[];
  readonly rejections: PlannedRejection[];
  readonly alarms: PlannedAlarm[];
  /** The ledger after this batch, for every seq the plan looked at. */
  readonly ledger: ReadonlyMap<number, LedgerEntry>;
  readonly counts: { readonly accepted: number; readonly rejected: number; readonly duplicate: number };
}

/** What {@linkcode planBatch} decides on. */
export interface PlanInput {
  readonly kioskId: string;
  readonly epoch: number;
  readonly records: readonly CheckedRecord[];
  /** Ledger entries of every seq of the batch and their neighbours (seq ± 1) that exist. */
  readonly ledger: ReadonlyMap<number, LedgerEntry>;
  /** Current owners of the event ids of the batch's verified records. */
  readonly eventOwners: ReadonlyMap<string, EventOwner>;
}

const R = RECORD_REJECT_REASONS;

const ALARM_OF_REASON: Record<RecordRejectReason, AlarmKind> = {
  [R.badSignature]: ALARM_KINDS.badSignature,
  [R.unknownKey]: ALARM_KINDS.unknownKey,
  [R.bodyDigestMismatch]: ALARM_KINDS.bodyDigestMismatch,
  [R.badSchema]: ALARM_KINDS.badSchema,
  [R.conflict]: ALARM_KINDS.conflict,
};

/** Decides every record of a batch; see the module comment for the rules. */
export function planBatch(input: PlanInput): BatchPlan {
  const ledger = new Map(input.ledger);
  const eventOwners = new Map(input.eventOwners);
  const statuses: RecordStatus[] = [];
  const newLedger: LedgerEntry[] = [];
  const accepted: CheckedRecord[] = [];
  const rejections: PlannedRejection[] = [];
  const alarms: PlannedAlarm[] = [];
  const counts = { accepted: 0, rejected: 0, duplicate: 0 };

  const reject = (r: CheckedRecord, reason: RecordRejectReason, message: string): void => {
    statuses.push({ seq: r.seq, status: "rejected", reason, message: message.slice(0, 500) });
    rejections.push({ seq: r.seq, reason, message, contentSha256: r.contentSha256, text: r.text() });
    alarms.push({ seq: r.seq, kind: ALARM_OF_REASON[reason], detail: message, contentSha256: r.contentSha256 });
  };

  for (const r of input.records) {
    const settled = ledger.get(r.seq);
    const verified = r.fault === undefined;
    if (settled) {
      const same =
        settled.contentSha256 === r.contentSha256 || (verified && settled.status === "accepted" && settled.chainHash === r.chainHash);
      if (same) {
        if (settled.status === "accepted") {
          statuses.push({ seq: r.seq, status: "duplicate" });
          counts.duplicate++;
        } else {
          const reason = settled.reason ?? R.badSchema;
          statuses.push({ seq: r.seq, status: "rejected", reason, message: `Already settled as rejected (${reason})` });
        }
      } else if (verified) {
        reject(r, R.conflict, `Seq ${r.seq} of epoch ${input.epoch} is already settled with different content; the stored record is kept`);
      } else {
        // An unverifiable record is no credible second version; it is tamper evidence under its own reason.
        reject(r, r.fault!.reason, r.fault!.message);
      }
      continue;
    }

    if (!verified) {
      reject(r, r.fault!.reason, r.fault!.message);
      settle(r, "rejected", r.fault!.reason);
      counts.rejected++;
      continue;
    }

    const record = r.record!;
    const owner = eventOwners.get(record.eventId);
    if (owner) {
      reject(r, R.conflict, `eventId is already stored as seq ${owner.seq} of epoch ${owner.epoch} of kiosk "${owner.kioskId}"`);
      settle(r, "rejected", R.conflict);
      counts.rejected++;
      continue;
    }

    const entry = settle(r, "accepted", null);
    eventOwners.set(record.eventId, { kioskId: input.kioskId, epoch: input.epoch, seq: r.seq });
    accepted.push(r);
    statuses.push({ seq: r.seq, status: "accepted" });
    counts.accepted++;
    checkLinks(entry);
  }

  function settle(r: CheckedRecord, status: LedgerEntry["status"], reason: RecordRejectReason | null): LedgerEntry {
    const entry: LedgerEntry = {
      seq: r.seq,
      eventId: status === "accepted" ? (r.record?.eventId ?? null) : null,
      status,
      reason,
      chainHash: r.chainHash ?? null,
      prevHash: r.record?.prevHash ?? null,
      contentSha256: r.contentSha256,
    };
    ledger.set(r.seq, entry);
    newLedger.push(entry);
    return entry;
  }

  // Links are checked between accepted records only: a rejected neighbour
  // has already raised its own alarm.
  function checkLinks(entry: LedgerEntry): void {
    if (entry.seq === 1 && entry.prevHash !== GENESIS_HASH) {
      alarms.push({ seq: 1, kind: ALARM_KINDS.chainBreak, detail: "The first record of the epoch does not start from the genesis hash", contentSha256: entry.contentSha256 });
    }
    const prev = ledger.get(entry.seq - 1);
    if (prev?.status === "accepted" && prev.chainHash !== entry.prevHash) {
      alarms.push({
        seq: entry.seq,
        kind: ALARM_KINDS.chainBreak,
        detail: `prevHash of seq ${entry.seq} does not match the hash of seq ${entry.seq - 1}`,
        contentSha256: entry.contentSha256,
      });
    }
    const next = ledger.get(entry.seq + 1);
    if (next?.status === "accepted" && next.prevHash !== entry.chainHash) {
      alarms.push({
        seq: next.seq,
        kind: ALARM_KINDS.chainBreak,
        detail: `prevHash of seq ${next.seq} does not match the hash of seq ${entry.seq}`,
        contentSha256: next.contentSha256,
      });
    }
  }

  return { statuses, newLedger, accepted, rejections, alarms, ledger, counts };
}
