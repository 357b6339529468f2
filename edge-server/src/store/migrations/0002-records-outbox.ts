import type { Migration } from "../migration.ts";

/**
 * Signed, hash-chained records (results) and their outbox rows.
 *
 * - `records` holds the signed header in clear and the body only sealed
 *   (AES-GCM, `body_sealed`); after retention `body_sealed` is set to NULL
 *   and the header, hashes and receipt stay.
 * - `outbox` holds delivery state: `pending` until a verified receipt
 *   (kept in `receipts`), then `acked`, or `quarantined` when central
 *   refused the record.
 * - Triggers refuse to drop or purge a record that is not acknowledged,
 *   whatever code runs against the file.
 */
export const migration0002: Migration = {
  version: 2,
  name: "records-outbox",
  up: [
    `CREATE TABLE records (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kiosk_id TEXT NOT NULL,
      epoch INTEGER NOT NULL CHECK (epoch > 0),
      seq INTEGER NOT NULL CHECK (seq > 0),
      event_id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      schema_version INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      boot_id TEXT NOT NULL,
      body_sha256 TEXT NOT NULL CHECK (length(body_sha256) = 64),
      prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
      record_hash TEXT NOT NULL UNIQUE CHECK (length(record_hash) = 64),
      key_id TEXT NOT NULL,
      signature TEXT NOT NULL,
      body_sealed BLOB,
      body_bytes INTEGER NOT NULL,
      saved_at_ms INTEGER NOT NULL,
      purged_at_ms INTEGER,
      UNIQUE (kiosk_id, epoch, seq),
      CHECK ((body_sealed IS NULL) = (purged_at_ms IS NOT NULL))
    ) STRICT`,
    // Central's signed receipts, kept as proof of delivery (one per settled batch).
    `CREATE TABLE receipts (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kiosk_id TEXT NOT NULL,
      epoch INTEGER NOT NULL,
      ack_through INTEGER NOT NULL,
      batch_digest TEXT NOT NULL,
      received_at TEXT NOT NULL,
      key_id TEXT NOT NULL,
      signature TEXT NOT NULL,
      stored_at_ms INTEGER NOT NULL
    ) STRICT`,
    `CREATE TABLE outbox (
      record_id INTEGER PRIMARY KEY REFERENCES records(id),
      state TEXT NOT NULL CHECK (state IN ('pending', 'acked', 'quarantined')),
      enqueued_at_ms INTEGER NOT NULL,
      settled_at_ms INTEGER,
      receipt_id INTEGER REFERENCES receipts(id),
      reject_reason TEXT,
      reject_message TEXT,
      CHECK ((state = 'pending') = (settled_at_ms IS NULL)),
      CHECK (state <> 'acked' OR receipt_id IS NOT NULL)
    ) STRICT`,
    "CREATE INDEX outbox_state ON outbox (state, record_id)",
    `CREATE TRIGGER outbox_keep_unacked BEFORE DELETE ON outbox
      WHEN old.state <> 'acked'
      BEGIN SELECT RAISE(ABORT, 'an unacknowledged outbox row cannot be deleted'); END`,
    `CREATE TRIGGER records_purge_acked_only BEFORE UPDATE OF body_sealed ON records
      WHEN new.body_sealed IS NULL AND coalesce((SELECT state FROM outbox WHERE record_id = old.id), 'pending') <> 'acked'
      BEGIN SELECT RAISE(ABORT, 'personal data of an unacknowledged record cannot be purged'); END`,
    `CREATE TRIGGER records_header_immutable BEFORE UPDATE OF kiosk_id, epoch, seq, event_id, kind, schema_version, created_at,
      boot_id, body_sha256, prev_hash, record_hash, key_id, signature ON records
      BEGIN SELECT RAISE(ABORT, 'a signed record header cannot change'); END`,
  ],
};
