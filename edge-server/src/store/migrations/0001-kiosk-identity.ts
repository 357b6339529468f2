import type { Migration } from "../migration.ts";

/**
 * The kiosk's identity: one row holding the kiosk id, the current epoch
 * (bumped when the kiosk is reprovisioned), the next sequence number of the
 * epoch and the chain head (hash of the epoch's last record).
 *
 * `next_seq` is a counter rather than `max(seq) + 1`, so a sequence number
 * is never handed out twice even if rows are ever deleted (sync.md §4.2 note).
 */
export const migration0001: Migration = {
  version: 1,
  name: "kiosk-identity",
  up: [
    `CREATE TABLE kiosk_identity (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      kiosk_id TEXT NOT NULL,
      epoch INTEGER NOT NULL CHECK (epoch > 0),
      next_seq INTEGER NOT NULL CHECK (next_seq > 0),
      chain_head TEXT NOT NULL CHECK (length(chain_head) = 64),
      epoch_started_at_ms INTEGER NOT NULL,
      created_at_ms INTEGER NOT NULL
    ) STRICT`,
    // The counter only moves forward within an epoch, and epochs only move forward.
    `CREATE TRIGGER kiosk_identity_forward_only BEFORE UPDATE ON kiosk_identity
      WHEN new.epoch < old.epoch OR (new.epoch = old.epoch AND new.next_seq < old.next_seq)
      BEGIN SELECT RAISE(ABORT, 'kiosk_identity may only move forward'); END`,
    `CREATE TRIGGER kiosk_identity_no_delete BEFORE DELETE ON kiosk_identity
      BEGIN SELECT RAISE(ABORT, 'kiosk_identity cannot be deleted'); END`,
  ],
};
