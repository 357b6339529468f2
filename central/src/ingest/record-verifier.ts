import { fromBase64Url, RECORD_REJECT_REASONS, recordSigningInput, upstreamRecordSchema, type RecordRejectReason, type UpstreamRecord } from "@kiosk/contracts";
import type { KioskDirectory, KioskKey, SignatureCheck, SignatureVerifier } from "../ports.ts";
import { checkRecordBody } from "./record-body-check.ts";
import { sha256HexSync } from "./sha256-hex-sync.ts";

/** Why a record cannot be accepted, decided before looking at the ledger. */
export interface RecordFault {
  readonly reason: RecordRejectReason;
  readonly message: string;
}

/** One record of a batch after every check that needs no database. */
export interface CheckedRecord {
  /** Position in the request's `records` array. */
  readonly index: number;
  readonly seq: number;
  /** The record, when its envelope matches the contract schema. */
  readonly record: UpstreamRecord | undefined;
  /** The record as JSON text: schema field order when valid, as received otherwise (made only when needed). */
  text(): string;
  /**
   * SHA-256 over the whole record (every signed field, the body as received
   * and the signature): what "the same content" means for records that did
   * not verify.
   */
  readonly contentSha256: string;
  /**
   * SHA-256 of the record's signing input: the chain hash that the next
   * record's `prevHash` must equal. It covers every signed field, and through
   * `bodySha256` the body, so for verified records it is the content identity.
   */
  readonly chainHash: string | undefined;
  /** Why the record cannot be accepted; `undefined` when it verified. */
  readonly fault: RecordFault | undefined;
}

const R = RECORD_REJECT_REASONS;

// A record that passed every check before its signature.
interface AwaitingSignature {
  readonly checked: CheckedRecord;
  readonly record: UpstreamRecord;
  readonly check: SignatureCheck;
}

/**
 * Runs the per-record checks of a batch that need no ledger: envelope
 * schema, body digest, key ownership and revocation, Ed25519 signature, and
 * the body schema of the record's kind and version. All signatures of a
 * batch go to the {@linkcode SignatureVerifier} in one call.
 */
export class RecordVerifier {
  readonly #directory: KioskDirectory;
  readonly #signatures: SignatureVerifier;

  constructor(directory: KioskDirectory, signatures: SignatureVerifier) {
    this.#directory = directory;
    this.#signatures = signatures;
  }

  /**
   * Checks every record of a batch sent by `kioskId` for `epoch`. Each raw
   * record must at least carry a positive integer `seq` (the caller ensures it).
   */
  async verify(kioskId: string, epoch: number, rawRecords: readonly unknown[]): Promise<CheckedRecord[]> {
    const parsed = rawRecords.map((raw) => upstreamRecordSchema.safeParse(raw));
    const keys = await this.#directory.findKeys(parsed.flatMap((p) => (p.success ? [p.data.keyId] : [])));
    const out: CheckedRecord[] = [];
    const awaiting: AwaitingSignature[] = [];
    rawRecords.forEach((raw, index) => {
      const result = parsed[index];
      if (result?.success) {
        const checked = precheck(kioskId, epoch, index, result.data, keys);
        if ("check" in checked) awaiting.push(checked);
        else out.push(checked);
        return;
      }
      const text = JSON.stringify(raw);
      const issue = result?.error.issues[0];
      const where = issue && issue.path.length > 0 ? issue.path.join(".") : "record";
      out.push({
        index,
        seq: (raw as { seq: number }).seq,
        record: undefined,
        text: () => text,
        contentSha256: sha256HexSync(`raw\n${text}`),
        chainHash: undefined,
        fault: { reason: R.badSchema, message: `Record does not match the upstream record schema at "${where}": ${issue?.message ?? "invalid"}` },
      });
    });
    // The signatures go to the workers first; the body schemas are checked
    // here meanwhile. A bad signature still decides the verdict over a bad body.
    const signatures = this.#signatures.verifyAll(awaiting.map((a) => a.check));
    const bodies = awaiting.map(({ record }) => checkRecordBody(record.kind, record.schemaVersion, record.body, kioskId));
    const valid = await signatures;
    awaiting.forEach(({ checked, record }, i) => {
      if (!valid[i]) {
        out.push({ ...checked, fault: { reason: R.badSignature, message: `Signature does not verify with key "${record.keyId}": the record was changed after it was signed` } });
        return;
      }
      const body = bodies[i]!;
      out.push(body.ok ? checked : { ...checked, fault: { reason: R.badSchema, message: body.message } });
    });
    return out.sort((a, b) => a.index - b.index);
  }
}

// Every check but the signature and the body schema. Returns the record
// with its fault, or what its signature check needs.
function precheck(kioskId: string, epoch: number, index: number, record: UpstreamRecord, keys: Map<string, KioskKey>): CheckedRecord | AwaitingSignature {
  const text = () => canonicalText(record);
  const bodySha256 = sha256HexSync(record.body);
  let signingInput: Uint8Array;
  try {
    signingInput = recordSigningInput({ ...record, kioskId, epoch });
  } catch {
    const contentSha256 = sha256HexSync(`raw\n${text()}`);
    return { index, seq: record.seq, record, text, contentSha256, chainHash: undefined, fault: { reason: R.badSchema, message: "A signed field contains a newline" } };
  }
  const chainHash = sha256HexSync(signingInput);
  // Every signed field (through the chain hash), the body as received (its
  // actual digest, not the claimed one) and the signature text.
  const contentSha256 = sha256HexSync(`record\n${chainHash}\n${bodySha256}\n${record.signature}`);
  const base = { index, seq: record.seq, record, text, contentSha256, chainHash };
  const fault = (reason: RecordRejectReason, message: string): CheckedRecord => ({ ...base, fault: { reason, message } });
  if (bodySha256 !== record.bodySha256) {
    return fault(R.bodyDigestMismatch, "bodySha256 does not match the body: the body was changed after the record was made");
  }
  const key = keys.get(record.keyId);
  if (!key) return fault(R.unknownKey, `Key "${record.keyId}" is not registered at central`);
  if (key.kioskId !== kioskId) {
    return fault(R.unknownKey, `Signed with key "${record.keyId}" of another kiosk, not of "${kioskId}": a record replayed from another device is never accepted`);
  }
  if (key.revokedAtMs !== undefined) return fault(R.unknownKey, `Key "${record.keyId}" is revoked`);
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(record.signature);
  } catch {
    return fault(R.badSignature, "Signature is not base64url");
  }
  return { checked: { ...base, fault: undefined }, record, check: { publicKey: key.publicKey, signature, message: signingInput } };
}

// Fixed field order, for keeping rejected records.
function canonicalText(r: UpstreamRecord): string {
  return JSON.stringify({
    seq: r.seq,
    eventId: r.eventId,
    kind: r.kind,
    schemaVersion: r.schemaVersion,
    createdAt: r.createdAt,
    bootId: r.bootId,
    body: r.body,
    bodySha256: r.bodySha256,
    prevHash: r.prevHash,
    keyId: r.keyId,
    signature: r.signature,
  });
}
