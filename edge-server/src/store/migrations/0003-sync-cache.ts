import type { Migration } from "../migration.ts";

/**
 * The offline copy of the hall's open matters and the card blocklist.
 *
 * Matters are stored sealed (AES-GCM). Card numbers are never stored: the
 * lookup tables hold a keyed token (HMAC under a key derived from the data
 * key), so "is card X listed" is answered without keeping X in the file.
 */
export const migration0003: Migration = {
  version: 3,
  name: "sync-cache",
  up: [
    `CREATE TABLE sync_state (
      singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
      cursor INTEGER NOT NULL CHECK (cursor >= 0),
      hall_id TEXT,
      last_complete_at_ms INTEGER,
      last_page_at_ms INTEGER
    ) STRICT`,
    "INSERT INTO sync_state (singleton, cursor) VALUES (1, 0)",
    `CREATE TABLE matters (
      matter_id TEXT PRIMARY KEY,
      sealed BLOB NOT NULL,
      updated_at TEXT NOT NULL
    ) STRICT`,
    `CREATE TABLE matter_persons (
      matter_id TEXT NOT NULL REFERENCES matters(matter_id) ON DELETE CASCADE,
      card_token TEXT NOT NULL,
      PRIMARY KEY (matter_id, card_token)
    ) STRICT`,
    "CREATE INDEX matter_persons_card ON matter_persons (card_token)",
    `CREATE TABLE blocklist (
      card_token TEXT PRIMARY KEY,
      reason TEXT
    ) STRICT`,
  ],
};
