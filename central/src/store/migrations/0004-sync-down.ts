import type { Migration } from "../migration.ts";

/**
 * Sync-down: the registration system's API tokens, its matters and the card
 * blocklist, and the one change log kiosks pull from.
 *
 * - `api_tokens` keeps only the SHA-256 of each bearer token.
 * - `change_log.change_id` is an AUTOINCREMENT / identity column, so a number
 *   is never handed out twice, even after rows are deleted.
 * - Writers first update the single row of `change_log_writer`, which
 *   serialises them until commit; change numbers therefore become visible in
 *   increasing order, and a kiosk whose cursor passed N can never miss a
 *   change numbered below N that commits later.
 * - A matter moved to another hall is logged against both halls
 *   (`hall_id`, `prev_hall_id`), so kiosks of the old hall learn it left.
 */
export const migration0004: Migration = {
  version: 4,
  name: "sync-down",
  up: {
    sqlite: [
      `create table api_tokens (
        token_sha256 text primary key,
        name text not null,
        created_at_ms integer not null,
        revoked_at_ms integer
      ) strict`,
      `create table change_log (
        change_id integer primary key autoincrement,
        kind text not null check (kind in ('matter', 'blocklist')),
        ref text not null,
        hall_id text,
        prev_hall_id text,
        changed_at_ms integer not null
      ) strict`,
      "create index change_log_by_hall on change_log (hall_id, change_id)",
      `create table change_log_writer (
        id integer primary key check (id = 1),
        last_write_ms integer not null
      ) strict`,
      "insert into change_log_writer (id, last_write_ms) values (1, 0)",
      `create table matters (
        matter_id text primary key,
        hall_id text not null,
        status text not null,
        data text not null,
        updated_at_ms integer not null,
        change_id integer not null
      ) strict`,
      `create table blocklist (
        card_number text primary key,
        listed integer not null check (listed in (0, 1)),
        reason text,
        updated_at_ms integer not null,
        change_id integer not null
      ) strict`,
    ],
    postgres: [
      `create table api_tokens (
        token_sha256 text primary key,
        name text not null,
        created_at_ms bigint not null,
        revoked_at_ms bigint
      )`,
      `create table change_log (
        change_id bigint generated always as identity primary key,
        kind text not null check (kind in ('matter', 'blocklist')),
        ref text not null,
        hall_id text,
        prev_hall_id text,
        changed_at_ms bigint not null
      )`,
      "create index change_log_by_hall on change_log (hall_id, change_id)",
      `create table change_log_writer (
        id integer primary key check (id = 1),
        last_write_ms bigint not null
      )`,
      "insert into change_log_writer (id, last_write_ms) values (1, 0)",
      `create table matters (
        matter_id text primary key,
        hall_id text not null,
        status text not null,
        data text not null,
        updated_at_ms bigint not null,
        change_id bigint not null
      )`,
      `create table blocklist (
        card_number text primary key,
        listed integer not null check (listed in (0, 1)),
        reason text,
        updated_at_ms bigint not null,
        change_id bigint not null
      )`,
    ],
  },
};
