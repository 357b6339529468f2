import type { Migration } from "../migration.ts";

/**
 * Device identity: which kiosk stands in which hall, and which Ed25519 public
 * keys belong to it. A key belongs to exactly one kiosk (`key_id` and
 * `public_key` are both unique), so a record signed by one kiosk's key can
 * never pass as another kiosk's. Keys are revoked, never deleted: old records
 * must stay verifiable.
 */
export const migration0002: Migration = {
  version: 2,
  name: "kiosk-directory",
  up: {
    sqlite: [
      `create table kiosks (
        kiosk_id text primary key,
        hall_id text not null,
        registered_at_ms integer not null,
        updated_at_ms integer not null
      ) strict`,
      `create table kiosk_keys (
        key_id text primary key,
        kiosk_id text not null references kiosks (kiosk_id),
        public_key text not null unique,
        registered_at_ms integer not null,
        revoked_at_ms integer
      ) strict`,
      "create index kiosk_keys_by_kiosk on kiosk_keys (kiosk_id)",
    ],
    postgres: [
      `create table kiosks (
        kiosk_id text primary key,
        hall_id text not null,
        registered_at_ms bigint not null,
        updated_at_ms bigint not null
      )`,
      `create table kiosk_keys (
        key_id text primary key,
        kiosk_id text not null references kiosks (kiosk_id),
        public_key text not null unique,
        registered_at_ms bigint not null,
        revoked_at_ms bigint
      )`,
      "create index kiosk_keys_by_kiosk on kiosk_keys (kiosk_id)",
    ],
  },
};
