import type { Migration } from "../migration.ts";

/** The latest heartbeat of each kiosk, for the fleet console. */
export const migration0001: Migration = {
  version: 1,
  name: "kiosk-heartbeats",
  up: {
    sqlite: [
      `create table kiosk_heartbeats (
        kiosk_id text primary key,
        first_seen_ms integer not null,
        last_seen_ms integer not null,
        sent_at text not null,
        boot_id text not null,
        seq integer not null,
        status text not null,
        version text not null,
        uptime_s real not null,
        devices text not null,
        heartbeat_count integer not null
      ) strict`,
    ],
    postgres: [
      `create table kiosk_heartbeats (
        kiosk_id text primary key,
        first_seen_ms bigint not null,
        last_seen_ms bigint not null,
        sent_at text not null,
        boot_id text not null,
        seq integer not null,
        status text not null,
        version text not null,
        uptime_s double precision not null,
        devices text not null,
        heartbeat_count bigint not null
      )`,
    ],
  },
};
