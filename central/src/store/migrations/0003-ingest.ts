import type { Migration } from "../migration.ts";

/**
 * Store-and-forward ingest (docs: sync.md §4.4–4.8).
 *
 * - `ingest_ledger`: one narrow row per (kiosk, epoch, seq) ever settled,
 *   accepted or rejected, kept forever; it is the dedupe authority. Only
 *   accepted records claim their `event_id` (rejected ones leave it null, so a
 *   replayed or forged record can never squat a genuine record's id).
 * - `upstream_records`: the results table, the archive of every accepted
 *   record exactly as signed (body kept as text, never re-encoded, so its
 *   digest and signature stay verifiable). On PostgreSQL it is partitioned by
 *   month of `received_at` (central's clock) with a default partition; unique
 *   constraints cannot span partitions, which is why uniqueness lives in the
 *   ledger. `ensure_upstream_records_partition` creates a month's partition.
 * - `ingest_rejections`: the full text of every distinct rejected record
 *   (forensics and later re-drive: nothing a kiosk sent is thrown away).
 * - `kiosk_cursors`: per (kiosk, epoch) progress for monitoring.
 * - `integrity_alarms`: conflicts, chain breaks and tampering evidence.
 */
export const migration0003: Migration = {
  version: 3,
  name: "ingest",
  up: {
    sqlite: [
      `create table ingest_ledger (
        kiosk_id text not null,
        epoch integer not null,
        seq integer not null,
        event_id text unique,
        status text not null check (status in ('accepted', 'rejected')),
        reason text,
        chain_hash text,
        prev_hash text,
        content_sha256 text not null,
        received_at_ms integer not null,
        primary key (kiosk_id, epoch, seq)
      ) strict, without rowid`,
      `create table upstream_records (
        kiosk_id text not null,
        epoch integer not null,
        seq integer not null,
        event_id text not null,
        kind text not null,
        schema_version integer not null,
        created_at text not null,
        boot_id text not null,
        body text not null,
        body_sha256 text not null,
        prev_hash text not null,
        chain_hash text not null,
        key_id text not null,
        signature text not null,
        received_at text not null
      ) strict`,
      "create index upstream_records_by_seq on upstream_records (kiosk_id, epoch, seq)",
      "create index upstream_records_by_event on upstream_records (event_id)",
      `create table ingest_rejections (
        kiosk_id text not null,
        epoch integer not null,
        seq integer not null,
        content_sha256 text not null,
        reason text not null,
        message text not null,
        record text not null,
        received_at_ms integer not null,
        primary key (kiosk_id, epoch, seq, content_sha256)
      ) strict`,
      `create table kiosk_cursors (
        kiosk_id text not null,
        epoch integer not null,
        ack_through integer not null,
        max_seq integer not null,
        missing_count integer not null,
        accepted_count integer not null,
        rejected_count integer not null,
        duplicate_count integer not null,
        first_batch_ms integer not null,
        last_batch_ms integer not null,
        primary key (kiosk_id, epoch)
      ) strict`,
      `create table integrity_alarms (
        alarm_id integer primary key autoincrement,
        kiosk_id text not null,
        epoch integer not null,
        seq integer not null,
        kind text not null,
        detail text not null,
        content_sha256 text not null,
        raised_at_ms integer not null,
        unique (kiosk_id, epoch, seq, kind, content_sha256)
      ) strict`,
      "create index integrity_alarms_by_kiosk on integrity_alarms (kiosk_id, alarm_id)",
    ],
    postgres: [
      `create table ingest_ledger (
        kiosk_id text not null,
        epoch bigint not null,
        seq bigint not null,
        event_id text unique,
        status text not null check (status in ('accepted', 'rejected')),
        reason text,
        chain_hash text,
        prev_hash text,
        content_sha256 text not null,
        received_at_ms bigint not null,
        primary key (kiosk_id, epoch, seq)
      )`,
      `create table upstream_records (
        kiosk_id text not null,
        epoch bigint not null,
        seq bigint not null,
        event_id text not null,
        kind text not null,
        schema_version integer not null,
        created_at text not null,
        boot_id text not null,
        body text not null,
        body_sha256 text not null,
        prev_hash text not null,
        chain_hash text not null,
        key_id text not null,
        signature text not null,
        received_at timestamptz not null
      ) partition by range (received_at)`,
      // Catches rows whose month has no partition yet, so an insert never fails for want of one.
      "create table upstream_records_default partition of upstream_records default",
      "create index upstream_records_by_seq on upstream_records (kiosk_id, epoch, seq)",
      "create index upstream_records_by_event on upstream_records (event_id)",
      `create function ensure_upstream_records_partition(month_start date) returns boolean
      language plpgsql as $$
      declare
        part text := 'upstream_records_' || to_char(month_start, 'YYYY_MM');
        lo timestamptz := month_start::timestamp at time zone 'UTC';
        hi timestamptz := (month_start + interval '1 month')::timestamp at time zone 'UTC';
      begin
        if date_trunc('month', month_start)::date <> month_start then
          raise exception 'not the first day of a month: %', month_start;
        end if;
        -- Serialises central nodes creating the same partition at once.
        perform pg_advisory_xact_lock(7260002);
        if to_regclass(part) is not null then
          return false;
        end if;
        execute format('create table %I partition of upstream_records for values from (%L) to (%L)', part, lo, hi);
        return true;
      end
      $$`,
      `create table ingest_rejections (
        kiosk_id text not null,
        epoch bigint not null,
        seq bigint not null,
        content_sha256 text not null,
        reason text not null,
        message text not null,
        record text not null,
        received_at_ms bigint not null,
        primary key (kiosk_id, epoch, seq, content_sha256)
      )`,
      `create table kiosk_cursors (
        kiosk_id text not null,
        epoch bigint not null,
        ack_through bigint not null,
        max_seq bigint not null,
        missing_count bigint not null,
        accepted_count bigint not null,
        rejected_count bigint not null,
        duplicate_count bigint not null,
        first_batch_ms bigint not null,
        last_batch_ms bigint not null,
        primary key (kiosk_id, epoch)
      )`,
      `create table integrity_alarms (
        alarm_id bigint generated always as identity primary key,
        kiosk_id text not null,
        epoch bigint not null,
        seq bigint not null,
        kind text not null,
        detail text not null,
        content_sha256 text not null,
        raised_at_ms bigint not null,
        unique (kiosk_id, epoch, seq, kind, content_sha256)
      )`,
      "create index integrity_alarms_by_kiosk on integrity_alarms (kiosk_id, alarm_id)",
    ],
  },
};
