import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../../testing/test-databases.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-heartbeats.ts";
import { migration0002 } from "./0002-kiosk-directory.ts";
import { migration0003 } from "./0003-ingest.ts";

for (const backend of testBackends()) {
  describe(`migration 0003 on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function migrated() {
      db = await backend.create({ migrated: false });
      await migrate(db, [migration0001, migration0002, migration0003], silentLogger);
      return db.sql;
    }

    test("the ledger settles (kiosk, epoch, seq) once and lets only accepted records claim an event id", async () => {
      const sql = await migrated();
      const row = (seq: number, eventId: string | null, status = "accepted") =>
        sql`insert into ingest_ledger (kiosk_id, epoch, seq, event_id, status, reason, chain_hash, prev_hash, content_sha256, received_at_ms)
            values ('k-1', 1, ${seq}, ${eventId}, ${status}, ${null}, ${null}, ${null}, 'c', 1)`;
      await row(1, "e-1");
      await expect(row(1, "e-2")).rejects.toThrow();
      await expect(row(2, "e-1")).rejects.toThrow();
      await row(3, null, "rejected");
      await row(4, null, "rejected");
      await expect(row(5, null, "maybe")).rejects.toThrow();
      const seqs = await sql`select seq from ingest_ledger order by seq`;
      expect(seqs.map((r: { seq: number | string }) => Number(r.seq))).toEqual([1, 3, 4]);
    });

    test("alarms are unique per seq, kind and content, and numbered in order", async () => {
      const sql = await migrated();
      const alarm = (seq: number, content: string) =>
        sql`insert into integrity_alarms (kiosk_id, epoch, seq, kind, detail, content_sha256, raised_at_ms)
            values ('k-1', 1, ${seq}, 'conflict', 'd', ${content}, 1) on conflict do nothing`;
      await alarm(1, "a");
      await alarm(1, "a");
      await alarm(1, "b");
      const rows = await sql`select alarm_id, content_sha256 from integrity_alarms order by alarm_id`;
      expect(rows.map((r: { content_sha256: string }) => r.content_sha256)).toEqual(["a", "b"]);
      // A skipped duplicate may use up a number; numbers still only grow.
      expect(Number(rows[0].alarm_id)).toBeLessThan(Number(rows[1].alarm_id));
    });

    test(backend.name === "postgres" ? "creates a month partition once through its function" : "keeps results in one plain table", async () => {
      const sql = await migrated();
      if (backend.name === "postgres") {
        expect((await sql`select ensure_upstream_records_partition('2026-11-01'::date) as created`)[0].created).toBe(true);
        expect((await sql`select ensure_upstream_records_partition('2026-11-01'::date) as created`)[0].created).toBe(false);
        await expect(sql`select ensure_upstream_records_partition('2026-11-02'::date)`).rejects.toThrow("first day of a month");
      }
      await sql`insert into upstream_records (kiosk_id, epoch, seq, event_id, kind, schema_version, created_at, boot_id, body,
        body_sha256, prev_hash, chain_hash, key_id, signature, received_at)
        values ('k-1', 1, 1, 'e', 'verification-result', 1, 'x', 'b', '{}', 'h', 'p', 'c', 'k', 's', '2026-11-15T00:00:00.000Z')`;
      const [row] = await sql`select count(*) as n from upstream_records where received_at >= '2026-11-01T00:00:00.000Z'`;
      expect(Number(row.n)).toBe(1);
    });
  });
}
