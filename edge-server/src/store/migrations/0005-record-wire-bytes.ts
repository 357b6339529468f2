import type { Migration } from "../migration.ts";

/**
 * Keeps each record's size in a batch: the UTF-8 bytes of its JSON as sent
 * to central (`upstreamRecordBytes`). The sender then assembles a batch up
 * to its byte budget from the rows alone, opening only the bodies it sends.
 * Rows saved before this migration keep NULL and are counted at an upper
 * bound (`upstreamRecordBytesBound`).
 */
export const migration0005: Migration = {
  version: 5,
  name: "record-wire-bytes",
  up: ["ALTER TABLE records ADD COLUMN wire_bytes INTEGER CHECK (wire_bytes IS NULL OR wire_bytes > 0)"],
};
