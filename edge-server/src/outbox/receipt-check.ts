/**
 * Checking central's answer to a batch before anything is marked
 * acknowledged. Only a receipt signed by central's key, for this kiosk and
 * epoch, over the digest of exactly the bytes sent, counts: an HTTP 200 from
 * a captive portal or a proxy, or a receipt for another batch, never does.
 */
import {
  batchResponseSchema,
  fromBase64Url,
  receiptSigningInput,
  recordStatusesDigest,
  redactText,
  verifySignature,
  type BatchResponse,
  type RecordStatus,
} from "@kiosk/contracts";
import type { CentralKey } from "./central-key.ts";
import type { QuarantinedRecord } from "./outbox-repository.ts";

/** What the receipt must match. */
export interface ExpectedReceipt {
  readonly kioskId: string;
  readonly epoch: number;
  /** SHA-256 (hex) of the request body bytes as sent. */
  readonly batchDigest: string;
  /** Highest seq the kiosk has created in the epoch: central cannot acknowledge beyond it. */
  readonly lastSeq: number;
}

/** The outcome of {@linkcode checkBatchResponse}. */
export type ReceiptCheck =
  | { readonly ok: true; readonly response: BatchResponse }
  | {
      readonly ok: false;
      readonly reason: string;
      /** True when the receipt is validly signed but contradicts the kiosk: an integrity alarm, not a network problem. */
      readonly integrity: boolean;
    };

const fail = (reason: string, integrity = false): ReceiptCheck => ({ ok: false, reason, integrity });

/** Parses and verifies central's reply to a batch. Never throws. */
export async function checkBatchResponse(text: string, expected: ExpectedReceipt, central: CentralKey): Promise<ReceiptCheck> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail("the reply is not JSON (a captive portal or proxy may have answered)");
  }
  const parsed = batchResponseSchema.safeParse(json);
  if (!parsed.success) return fail(`the reply does not match the batch response contract (${parsed.error.issues[0]?.path.join(".") || "body"})`);
  const response = parsed.data;
  const { signature, ...signed } = response.receipt;
  if (signed.keyId !== central.keyId) return fail(`the receipt is signed by key "${signed.keyId}", not central's key "${central.keyId}"`);
  if (!(await verifySignature(central.key, fromBase64Url(signature), receiptSigningInput(signed)))) {
    return fail("the receipt's signature does not verify with central's key");
  }
  if (signed.kioskId !== expected.kioskId || signed.epoch !== expected.epoch) {
    return fail(`the receipt is for kiosk "${signed.kioskId}" epoch ${signed.epoch}, not "${expected.kioskId}" epoch ${expected.epoch}`);
  }
  if (signed.batchDigest !== expected.batchDigest) return fail("the receipt is for another batch (its digest differs from the bytes sent)");
  if (signed.resultsDigest !== (await recordStatusesDigest(response.results))) {
    return fail("the reply's per-record results differ from those central signed");
  }
  if (response.ackThrough !== signed.ackThrough) return fail("the reply's ackThrough differs from the signed receipt's");
  if (signed.ackThrough > expected.lastSeq) {
    return fail(`central acknowledges through seq ${signed.ackThrough} but this kiosk created only ${expected.lastSeq} in epoch ${expected.epoch}`, true);
  }
  return { ok: true, response };
}

/** Which records of a batch a verified reply acknowledges, quarantines, or leaves pending. */
export interface SettlementPlan {
  readonly acked: number[];
  readonly quarantined: QuarantinedRecord[];
  /** Seqs the reply says nothing about, above the signed `ackThrough`: still pending. */
  readonly pending: number[];
  /** Seqs central refused as `conflict`: the same (kiosk, epoch, seq) with other content. */
  readonly conflicts: number[];
}

/**
 * Plans the settlement of the batch's `seqs` from a verified reply.
 *
 * - `rejected` → quarantined with central's reason.
 * - `accepted` or `duplicate` → acknowledged. Central answers only after
 *   commit and signs these verdicts in the receipt (`resultsDigest`) for
 *   exactly the bytes sent, so this holds even above `ackThrough` (central may
 *   hold a gap below, e.g. a record the kiosk quarantined after central
 *   refused it as a whole batch); otherwise one such gap would stall every
 *   later record forever.
 * - no status, at or below the signed `ackThrough` → acknowledged (the
 *   receipt says it is settled); above it → stays pending.
 */
export function planSettlement(seqs: readonly number[], response: BatchResponse): SettlementPlan {
  const statusBySeq = new Map<number, RecordStatus>(response.results.map((r) => [r.seq, r]));
  const plan: SettlementPlan = { acked: [], quarantined: [], pending: [], conflicts: [] };
  for (const seq of seqs) {
    const status = statusBySeq.get(seq);
    if (status?.status === "rejected") {
      const reason = status.reason ?? "rejected";
      plan.quarantined.push({ seq, reason, message: status.message === undefined ? null : redactText(status.message).slice(0, 500) });
      if (reason === "conflict") plan.conflicts.push(seq);
    } else if (status !== undefined || seq <= response.receipt.ackThrough) {
      plan.acked.push(seq);
    } else {
      plan.pending.push(seq);
    }
  }
  return plan;
}
