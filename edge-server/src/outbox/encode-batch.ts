import type { UpstreamRecord } from "@kiosk/contracts";
import type { PendingBatch } from "./outbox-repository.ts";

/** A batch body ready to send. */
export interface EncodedBatch {
  /** The `BatchRequest` JSON text. */
  readonly json: string;
  /** The records it holds: a prefix of the pending batch. */
  readonly records: readonly UpstreamRecord[];
}

const encoder = new TextEncoder();

/**
 * Encodes the longest prefix of `batch` whose `BatchRequest` JSON stays
 * within `maxBytes` (UTF-8, before compression). The first record is always
 * included, so the queue moves even if one record alone is larger.
 */
export function encodeBatch(batch: PendingBatch, maxBytes: number): EncodedBatch {
  // Same text as JSON.stringify({ kioskId, epoch, records }), built piece by piece to measure it.
  const head = `{"kioskId":${JSON.stringify(batch.kioskId)},"epoch":${JSON.stringify(batch.epoch)},"records":[`;
  const tail = "]}";
  let size = encoder.encode(head).length + tail.length;
  const parts: string[] = [];
  const records: UpstreamRecord[] = [];
  for (const record of batch.records) {
    const part = JSON.stringify(record);
    const bytes = encoder.encode(part).length + (parts.length > 0 ? 1 : 0);
    if (parts.length > 0 && size + bytes > maxBytes) break;
    parts.push(part);
    records.push(record);
    size += bytes;
  }
  return { json: `${head}${parts.join(",")}${tail}`, records };
}
