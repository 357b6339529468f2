/**
 * Store-and-forward from kiosk to central: the wire format of records,
 * batches, receipts, and the exact bytes each signature covers.
 *
 * Design (see README "Store-and-forward"):
 * - Every record is signed by the kiosk's Ed25519 key when it is created and
 *   hash-chained to the previous record of the same (kiosk, epoch).
 * - Records carry a per-kiosk sequence number that never repeats within an
 *   epoch; the epoch changes when the kiosk is reprovisioned. Central dedupes
 *   on (kiosk, epoch, seq) forever.
 * - A batch request is signed as a whole by the kiosk (authenticating the
 *   sender); central answers only after commit, with a receipt signed by
 *   central's key. The kiosk marks records acknowledged only after verifying
 *   that receipt, so a 200 from a captive portal never counts.
 * - Records never depend on the kiosk's wall clock: `createdAt` is a claim
 *   recorded for forensics, never used for ordering or dedupe.
 * - Requests do: each signed request carries a timestamp and a random nonce
 *   inside its signature, so a captured request cannot be sent again. Central
 *   refuses one outside its clock window (`request-expired`, with central's
 *   time so the kiosk corrects its request timestamps) or with a nonce seen
 *   within the window (`request-replayed`).
 */
import { z } from "zod";
import { kioskIdSchema } from "./kiosk-status.ts";

/** Most records in one batch. */
export const MAX_BATCH_RECORDS = 500;
/** Most bytes of one batch's JSON before compression. */
export const MAX_BATCH_BYTES = 1024 * 1024;
/** Most bytes of one record's body. */
export const MAX_RECORD_BODY_BYTES = 256 * 1024;
/** `prevHash` of the first record of an epoch. */
export const GENESIS_HASH = "0".repeat(64);

const hex32 = z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex characters");
const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "expected base64url without padding");
/** Identifier of a public key, chosen by its owner (e.g. its SHA-256 prefix). */
export const keyIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, "expected 1-128 letters, digits or ._:-");

/** One record as sent to central. */
export const upstreamRecordSchema = z.object({
  /** Position in the kiosk's sequence for this epoch, from 1, never reused. */
  seq: z.number().int().positive(),
  /** Business id of the record (UUID), unique across all kiosks. */
  eventId: z.uuid(),
  /** What the body is, such as `verification-result`. */
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/),
  schemaVersion: z.number().int().positive(),
  /** Kiosk clock when created: a claim for forensics, possibly wrong (1970). */
  createdAt: z.string().max(40),
  /** Run of the edge server that created the record. */
  bootId: z.uuid(),
  /** The body as JSON text, exactly the bytes that `bodySha256` covers. */
  body: z.string().max(MAX_RECORD_BODY_BYTES),
  bodySha256: hex32,
  /** Hash of the previous record of this epoch ({@linkcode GENESIS_HASH} for the first). */
  prevHash: hex32,
  /** Which of the kiosk's keys signed it. */
  keyId: keyIdSchema,
  /** Ed25519 signature over {@linkcode recordSigningInput}, base64url. */
  signature: base64url,
});

/** A record as sent to central. */
export type UpstreamRecord = z.infer<typeof upstreamRecordSchema>;

/** Body of `POST /api/v1/kiosks/{kioskId}/batches`. */
export const batchRequestSchema = z.object({
  kioskId: kioskIdSchema,
  epoch: z.number().int().positive(),
  records: z.array(upstreamRecordSchema).min(1).max(MAX_BATCH_RECORDS),
});

/** A batch of records, oldest first. */
export type BatchRequest = z.infer<typeof batchRequestSchema>;

/** Why central refused one record. The kiosk quarantines it and moves on. */
export const RECORD_REJECT_REASONS = {
  /** The record's signature does not verify with the named key. */
  badSignature: "bad-signature",
  /** The key is not one of this kiosk's keys, or it is revoked. */
  unknownKey: "unknown-key",
  /** `bodySha256` does not match the body. */
  bodyDigestMismatch: "body-digest-mismatch",
  /** The kind or schema version is unknown, or the body does not match its schema. */
  badSchema: "bad-schema",
  /** Central already holds this (kiosk, epoch, seq) with different content: an integrity alarm. */
  conflict: "conflict",
} as const;

/** One of {@linkcode RECORD_REJECT_REASONS}. */
export type RecordRejectReason = (typeof RECORD_REJECT_REASONS)[keyof typeof RECORD_REJECT_REASONS];

/** Central's verdict on one record of a batch. */
export const recordStatusSchema = z.object({
  seq: z.number().int().positive(),
  status: z.enum(["accepted", "duplicate", "rejected"]),
  reason: z.enum(Object.values(RECORD_REJECT_REASONS) as [RecordRejectReason, ...RecordRejectReason[]]).optional(),
  message: z.string().max(500).optional(),
});

/** Central's verdict on one record. */
export type RecordStatus = z.infer<typeof recordStatusSchema>;

/**
 * Central's signed statement that it has durably stored (committed) every
 * record of (kioskId, epoch) up to and including `ackThrough`, settled
 * (accepted or rejected) without gaps.
 */
export const receiptSchema = z.object({
  kioskId: kioskIdSchema,
  epoch: z.number().int().positive(),
  /** Highest seq such that every seq from 1 to it is settled at central; 0 when none. */
  ackThrough: z.number().int().nonnegative(),
  /** SHA-256 of the request body bytes exactly as the kiosk sent them. */
  batchDigest: hex32,
  /** {@linkcode recordStatusesDigest} of the reply's `results`, so per-record verdicts cannot be altered in transit. */
  resultsDigest: hex32,
  /** Central clock when committed (ISO 8601). */
  receivedAt: z.iso.datetime(),
  /** Which of central's keys signed it. */
  keyId: keyIdSchema,
  /** Ed25519 signature over {@linkcode receiptSigningInput}, base64url. */
  signature: base64url,
});

/** A receipt signed by central. */
export type Receipt = z.infer<typeof receiptSchema>;

/** Central's reply to a batch, sent only after commit. */
export const batchResponseSchema = z.object({
  ackThrough: z.number().int().nonnegative(),
  results: z.array(recordStatusSchema),
  /** Ranges of seqs central has not received below the highest one it holds. */
  gaps: z.array(z.object({ from: z.number().int().positive(), to: z.number().int().positive() })),
  receipt: receiptSchema,
});

/** Central's reply to a batch. */
export type BatchResponse = z.infer<typeof batchResponseSchema>;

/** Central's route for a kiosk's batches. */
export function batchPath(kioskId: string): string {
  return `/api/v1/kiosks/${kioskId}/batches`;
}

/** Headers of a signed kiosk request. */
export const KIOSK_REQUEST_HEADERS = {
  /** `{kioskId}:{epoch}:{firstSeq}-{lastSeq}` for batches. */
  idempotencyKey: "Idempotency-Key",
  /** Which kiosk key signed the request. */
  keyId: "X-Kiosk-Key-Id",
  /** Lower-case hex SHA-256 of the request body bytes as sent (after compression). */
  contentSha256: "X-Content-SHA256",
  /** Ed25519 signature over {@linkcode requestSigningInput}, base64url. */
  signature: "X-Kiosk-Signature",
  /** When the kiosk signed the request, ISO 8601 UTC, on its clock corrected by central's reported offset. */
  timestamp: "X-Kiosk-Timestamp",
  /** Random base64url value, new for every request (a retry is a new request). */
  nonce: "X-Kiosk-Nonce",
} as const;

/** Header of central's refusals (`request-expired`) carrying central's clock, ISO 8601 UTC. */
export const CENTRAL_TIME_HEADER = "X-Central-Time";

/** A request nonce: 16 to 64 base64url characters (the kiosk sends 16 random bytes, 22 characters). */
export const requestNonceSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "expected 16-64 base64url characters");

/** The `details` of a `request-expired` problem: how far the kiosk's clock is from central's. */
export const requestExpiredDetailsSchema = z.object({
  /** Central's clock when it refused the request. */
  centralTime: z.iso.datetime(),
  /** The request's signed timestamp. */
  requestTime: z.iso.datetime(),
  /** `requestTime` minus `centralTime`, in milliseconds (negative: the kiosk clock is behind). */
  skewMs: z.number().int(),
  /** Largest skew central accepts either way, in milliseconds. */
  windowMs: z.number().int().positive(),
});

/** Details of a `request-expired` refusal. */
export type RequestExpiredDetails = z.infer<typeof requestExpiredDetailsSchema>;

/** The `Idempotency-Key` of a batch. */
export function batchIdempotencyKey(kioskId: string, epoch: number, firstSeq: number, lastSeq: number): string {
  return `${kioskId}:${epoch}:${firstSeq}-${lastSeq}`;
}

const encoder = new TextEncoder();

function lines(domain: string, fields: ReadonlyArray<string | number>): Uint8Array {
  for (const field of fields) {
    if (String(field).includes("\n")) throw new RangeError(`Cannot sign a field containing a newline: "${String(field).slice(0, 40)}"`);
  }
  return encoder.encode([domain, ...fields].join("\n"));
}

/** The fields of a record that its signature and hash cover (everything but the body itself, which `bodySha256` stands for). */
export type RecordHeader = Omit<UpstreamRecord, "body" | "signature"> & { readonly kioskId: string; readonly epoch: number };

/**
 * The bytes the kiosk signs for a record. The record's chain hash is the
 * SHA-256 of the same bytes, so the chain covers every signed field.
 */
export function recordSigningInput(r: RecordHeader): Uint8Array {
  return lines("shiming-kiosk/record/v1", [
    r.kioskId,
    r.epoch,
    r.seq,
    r.eventId,
    r.kind,
    r.schemaVersion,
    r.createdAt,
    r.bootId,
    r.bodySha256,
    r.prevHash,
    r.keyId,
  ]);
}

/** The bytes central signs for a receipt. */
export function receiptSigningInput(r: Omit<Receipt, "signature">): Uint8Array {
  return lines("shiming-kiosk/receipt/v1", [r.kioskId, r.epoch, r.ackThrough, r.batchDigest, r.resultsDigest, r.receivedAt, r.keyId]);
}

/**
 * SHA-256 (hex) of a reply's per-record verdicts, in seq order, one line
 * `seq:status:reason` each. Central signs it in the receipt; the kiosk
 * recomputes it before trusting any verdict above `ackThrough`.
 */
export function recordStatusesDigest(results: readonly RecordStatus[]): Promise<string> {
  const text = [...results]
    .sort((a, b) => a.seq - b.seq)
    .map((r) => `${r.seq}:${r.status}:${r.reason ?? ""}`)
    .join("\n");
  return sha256Hex(encoder.encode(text));
}

/** What a kiosk's request signature covers. */
export interface RequestSignatureFields {
  readonly method: string;
  /** Path and query, as sent. */
  readonly path: string;
  readonly idempotencyKey: string;
  readonly contentSha256: string;
  readonly keyId: string;
  /** The `X-Kiosk-Timestamp` header, exactly as sent. */
  readonly timestamp: string;
  /** The `X-Kiosk-Nonce` header, exactly as sent. */
  readonly nonce: string;
}

/** The bytes a kiosk signs for a request (batches and sync-down pulls). */
export function requestSigningInput(r: RequestSignatureFields): Uint8Array {
  return lines("shiming-kiosk/request/v2", [r.method.toUpperCase(), r.path, r.idempotencyKey, r.contentSha256, r.keyId, r.timestamp, r.nonce]);
}

/** Lower-case hex SHA-256 of `bytes` (Web Crypto). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice().buffer));
  let out = "";
  for (const byte of digest) out += byte.toString(16).padStart(2, "0");
  return out;
}

/** Encodes bytes as base64url without padding. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decodes base64url (padding optional).
 * @throws {SyntaxError} on characters outside the alphabet.
 */
export function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) throw new SyntaxError(`Invalid base64url text "${text.slice(0, 20)}"`);
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
