import type { UpstreamRecord } from "@kiosk/contracts";
import type { OutboxRepository, PendingBatch } from "./outbox-repository.ts";

/** A batch body ready to send. */
export interface EncodedBatch {
  /** The `BatchRequest` JSON text. */
  readonly json: string;
  /** `json` as UTF-8, the bytes to compress and send. */
  readonly bytes: Uint8Array;
  /** The records it holds: a prefix of the pending batch. */
  readonly records: readonly UpstreamRecord[];
}

const encoder = new TextEncoder();

// The BatchRequest JSON around its records, exactly as JSON.stringify({ kioskId, epoch, records }) writes it.
function envelope(kioskId: string, epoch: number): { head: string; tail: string } {
  return { head: `{"kioskId":${JSON.stringify(kioskId)},"epoch":${JSON.stringify(epoch)},"records":[`, tail: "]}" };
}

/**
 * UTF-8 bytes of a `BatchRequest` for (`kioskId`, `epoch`) besides its
 * records: a batch of records of `b1..bn` bytes each (`upstreamRecordBytes`)
 * is this many bytes plus `b1 + … + bn` plus `n - 1` separators.
 */
export function batchEnvelopeBytes(kioskId: string, epoch: number): number {
  const { head, tail } = envelope(kioskId, epoch);
  return encoder.encode(head).length + tail.length;
}

/**
 * Encodes the longest prefix of `batch` whose `BatchRequest` JSON stays
 * within `maxBytes` (UTF-8, before compression). The first record is always
 * included, so the queue moves even if one record alone is larger. The
 * repository already reads only records that fit
 * ({@linkcode OutboxRepository.nextBatch}); this holds the limit whatever it returns.
 */
export function encodeBatch(batch: PendingBatch, maxBytes: number): EncodedBatch {
  // Same text as JSON.stringify({ kioskId, epoch, records }), built piece by piece to measure it.
  const { head, tail } = envelope(batch.kioskId, batch.epoch);
  const parts = batch.records.map((record) => JSON.stringify(record));
  // The usual case: the whole batch fits, and is encoded once.
  const whole = `${head}${parts.join(",")}${tail}`;
  const wholeBytes = encoder.encode(whole);
  if (wholeBytes.length <= maxBytes || parts.length <= 1) return { json: whole, bytes: wholeBytes, records: batch.records };
  let size = batchEnvelopeBytes(batch.kioskId, batch.epoch);
  let count = 0;
  for (const part of parts) {
    const bytes = encoder.encode(part).length + (count > 0 ? 1 : 0);
    if (count > 0 && size + bytes > maxBytes) break;
    count++;
    size += bytes;
  }
  const json = `${head}${parts.slice(0, count).join(",")}${tail}`;
  return { json, bytes: encoder.encode(json), records: batch.records.slice(0, count) };
}
