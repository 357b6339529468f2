import type { Migration } from "../migration.ts";

/**
 * Request nonces: every signed kiosk request's nonce, kept until its
 * timestamp leaves central's window, so a captured request cannot be sent
 * again. The table lives in the database, so every central process on it
 * refuses a replay that another one has seen.
 *
 * - The primary key (key id, nonce) makes the claim atomic: of two
 *   processes inserting the same pair, exactly one succeeds.
 * - `expires_at_ms` is the request's timestamp plus the window (central's
 *   clock); rows past it are pruned by `expires_at_ms`, hence its index.
 */
export const migration0005: Migration = {
  version: 5,
  name: "request-nonces",
  up: {
    sqlite: [
      `create table request_nonces (
        key_id text not null,
        nonce text not null,
        expires_at_ms integer not null,
        primary key (key_id, nonce)
      ) strict, without rowid`,
      "create index request_nonces_by_expiry on request_nonces (expires_at_ms)",
    ],
    postgres: [
      `create table request_nonces (
        key_id text not null,
        nonce text not null,
        expires_at_ms bigint not null,
        primary key (key_id, nonce)
      )`,
      "create index request_nonces_by_expiry on request_nonces (expires_at_ms)",
    ],
  },
};
