/**
 * How a record is laid out in the `records` table, and the one place that
 * turns a row back into the signed header and opens its sealed body.
 */
import type { RecordHeader } from "@kiosk/contracts";
import type { DataSealer } from "./data-sealer.ts";

/** A row of `records` as read by the store. */
export interface RecordRow {
  readonly id: number;
  readonly kiosk_id: string;
  readonly epoch: number;
  readonly seq: number;
  readonly event_id: string;
  readonly kind: string;
  readonly schema_version: number;
  readonly created_at: string;
  readonly boot_id: string;
  readonly body_sha256: string;
  readonly prev_hash: string;
  readonly record_hash: string;
  readonly key_id: string;
  readonly signature: string;
  readonly body_sealed: Uint8Array | null;
  readonly body_bytes: number;
  /** UTF-8 bytes of the record's JSON in a batch; null for rows saved before migration 5. */
  readonly wire_bytes: number | null;
  readonly saved_at_ms: number;
  readonly purged_at_ms: number | null;
}

/** Columns of {@linkcode RecordRow}, for `SELECT` lists (alias `r`). */
export const RECORD_COLUMNS =
  "r.id, r.kiosk_id, r.epoch, r.seq, r.event_id, r.kind, r.schema_version, r.created_at, r.boot_id, r.body_sha256, " +
  "r.prev_hash, r.record_hash, r.key_id, r.signature, r.body_sealed, r.body_bytes, r.wire_bytes, r.saved_at_ms, r.purged_at_ms";

/** The signed header of a stored record. */
export function headerOf(row: RecordRow): RecordHeader {
  return {
    kioskId: row.kiosk_id,
    epoch: row.epoch,
    seq: row.seq,
    eventId: row.event_id,
    kind: row.kind,
    schemaVersion: row.schema_version,
    createdAt: row.created_at,
    bootId: row.boot_id,
    bodySha256: row.body_sha256,
    prevHash: row.prev_hash,
    keyId: row.key_id,
  };
}

/**
 * Additional authenticated data of a record's sealed body: the record's
 * identity and its hash (which covers every signed field), so the ciphertext
 * of one record cannot be moved to another row, epoch or kiosk.
 */
export function bodyAad(kioskId: string, epoch: number, seq: number, recordHash: string): Uint8Array {
  return new TextEncoder().encode(`shiming-kiosk/seal/record-body/v1\n${kioskId}\n${epoch}\n${seq}\n${recordHash}`);
}

/**
 * The body text of a row, or `null` when it was purged.
 * @throws {KioskError} `store-failed` when the ciphertext does not open.
 */
export async function openBody(sealer: DataSealer, row: RecordRow): Promise<string | null> {
  if (row.body_sealed === null) return null;
  const plain = await sealer.open(row.body_sealed, bodyAad(row.kiosk_id, row.epoch, row.seq, row.record_hash));
  return new TextDecoder().decode(plain);
}
