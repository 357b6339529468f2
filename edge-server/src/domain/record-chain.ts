/**
 * How a kiosk record is made and re-checked, without storage: its body is
 * measured and hashed, its header takes the next place in the epoch's hash
 * chain, it is signed with the kiosk key, and a run of stored records is
 * re-checked link by link. Also the record's shape and size in a batch to
 * central, so a batch can be assembled to its byte budget before any body is opened.
 */
import {
  fromBase64Url,
  GENESIS_HASH,
  MAX_RECORD_BODY_BYTES,
  recordSigningInput,
  sha256Hex,
  toBase64Url,
  verifySignature,
  type RecordHeader,
  type Signer,
  type UpstreamRecord,
} from "@kiosk/contracts";

/** A record body as it is stored and sent. */
export interface RecordBody {
  /** The text as stored: what decoding `bytes` gives back. */
  readonly text: string;
  /** `text` as UTF-8, the bytes that are sealed and hashed. */
  readonly bytes: Uint8Array;
  /** SHA-256 (hex) of `bytes`: the header's `bodySha256`. */
  readonly sha256: string;
}

/** Where the next record of an epoch goes. */
export interface ChainPosition {
  readonly kioskId: string;
  readonly epoch: number;
  /** The seq the next record gets. */
  readonly nextSeq: number;
  /** Hash of the epoch's last record, or `GENESIS_HASH`. */
  readonly chainHead: string;
}

/** What the next record says about itself, besides its place in the chain. */
export interface RecordFields {
  /** Business id (UUID). */
  readonly eventId: string;
  readonly kind: string;
  readonly schemaVersion: number;
  /** Kiosk clock at creation, in epoch milliseconds. */
  readonly createdAtMs: number;
  /** Run of the edge server that creates it. */
  readonly bootId: string;
}

/** A record made by {@linkcode signNextRecord}, ready to store. */
export interface SignedRecord {
  readonly header: RecordHeader;
  /** Ed25519 signature over the header's signing input, base64url. */
  readonly signature: string;
  /** SHA-256 (hex) of the header's signing input: the next record's `prevHash`. */
  readonly recordHash: string;
  /** UTF-8 bytes of the record's JSON in a batch ({@linkcode upstreamRecordBytes}). */
  readonly wireBytes: number;
}

/** A stored record as {@linkcode chainProblems} sees it. */
export interface ChainLink {
  readonly header: RecordHeader;
  readonly recordHash: string;
  readonly signature: string;
}

/** The key records are expected to be signed with. */
export interface ChainKey {
  readonly keyId: string;
  readonly key: CryptoKey;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The longest JSON escape of one UTF-8 byte: a control character as "\u00XX".
const MAX_ESCAPED_BYTES_PER_BYTE = 6;

/**
 * Measures and hashes a record body.
 *
 * @throws {RangeError} when the body is larger than `MAX_RECORD_BODY_BYTES` in UTF-8.
 */
export async function recordBody(text: string): Promise<RecordBody> {
  const bytes = encoder.encode(text);
  if (bytes.length > MAX_RECORD_BODY_BYTES) {
    throw new RangeError(`Cannot save a record body of ${bytes.length} bytes: the limit is ${MAX_RECORD_BODY_BYTES}`);
  }
  // Decoding again turns lone surrogates into U+FFFD, as reading the stored body will.
  return { text: decoder.decode(bytes), bytes, sha256: await sha256Hex(bytes) };
}

/**
 * Makes the record that follows `position`: seq `position.nextSeq`, linked
 * to `position.chainHead`, signed by `signer`.
 *
 * @example
 * const body = await recordBody(JSON.stringify(result));
 * const record = await signNextRecord(identity, { eventId, kind, schemaVersion, createdAtMs: clock.now(), bootId }, body, signer);
 * // store record.header, record.signature, record.recordHash; the next position's chainHead is record.recordHash
 */
export async function signNextRecord(position: ChainPosition, fields: RecordFields, body: RecordBody, signer: Signer): Promise<SignedRecord> {
  const header: RecordHeader = {
    kioskId: position.kioskId,
    epoch: position.epoch,
    seq: position.nextSeq,
    eventId: fields.eventId,
    kind: fields.kind,
    schemaVersion: fields.schemaVersion,
    createdAt: new Date(fields.createdAtMs).toISOString(),
    bootId: fields.bootId,
    bodySha256: body.sha256,
    prevHash: position.chainHead,
    keyId: signer.keyId,
  };
  const signingInput = recordSigningInput(header);
  const signature = toBase64Url(await signer.sign(signingInput));
  const recordHash = await sha256Hex(signingInput);
  return { header, signature, recordHash, wireBytes: upstreamRecordBytes(upstreamRecord(header, body.text, signature)) };
}

/** A record as it goes to central in a batch. */
export function upstreamRecord(header: RecordHeader, body: string, signature: string): UpstreamRecord {
  return {
    seq: header.seq,
    eventId: header.eventId,
    kind: header.kind,
    schemaVersion: header.schemaVersion,
    createdAt: header.createdAt,
    bootId: header.bootId,
    body,
    bodySha256: header.bodySha256,
    prevHash: header.prevHash,
    keyId: header.keyId,
    signature,
  };
}

/** UTF-8 bytes of `record`'s JSON, as a batch holds it. */
export function upstreamRecordBytes(record: UpstreamRecord): number {
  return encoder.encode(JSON.stringify(record)).length;
}

/**
 * At least {@linkcode upstreamRecordBytes} of the record, knowing only the
 * UTF-8 size of its body (every byte counted at its longest JSON escape),
 * for records whose exact size was not kept.
 */
export function upstreamRecordBytesBound(header: RecordHeader, signature: string, bodyBytes: number): number {
  return upstreamRecordBytes(upstreamRecord(header, "", signature)) + MAX_ESCAPED_BYTES_PER_BYTE * bodyBytes;
}

/**
 * Re-checks one epoch's records, oldest first: each hash, each link to the
 * previous record, the sequence from 1 without gaps, and each signature made
 * with `key` (records signed by other keys are reported). Returns the
 * problems found, empty when the chain holds.
 */
export async function chainProblems(links: Iterable<ChainLink>, key: ChainKey): Promise<string[]> {
  const problems: string[] = [];
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const { header, recordHash, signature } of links) {
    const seq = header.seq;
    if (seq !== expectedSeq) problems.push(`seq ${expectedSeq}..${seq - 1} missing`);
    if (header.prevHash !== prevHash) problems.push(`seq ${seq}: prevHash does not link to the previous record`);
    const input = recordSigningInput(header);
    if ((await sha256Hex(input)) !== recordHash) problems.push(`seq ${seq}: record hash does not match its header`);
    if (header.keyId !== key.keyId) problems.push(`seq ${seq}: signed by key "${header.keyId}", not the current key`);
    else if (!(await verifySignature(key.key, fromBase64Url(signature), input))) problems.push(`seq ${seq}: bad signature`);
    prevHash = recordHash;
    expectedSeq = seq + 1;
  }
  return problems;
}
