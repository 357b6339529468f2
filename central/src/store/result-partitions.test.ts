import { afterEach, describe, expect, test } from "bun:test";
import { captureLogger } from "@kiosk/contracts/testing";
import { createTestCentral } from "../testing/test-central.ts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { TestKiosk } from "../testing/test-kiosk.ts";
import { monthStart, ResultPartitions } from "./result-partitions.ts";

describe("monthStart", () => {
  test("gives the first day of the UTC month, across year ends", () => {
    expect(monthStart(Date.parse("2026-11-30T23:59:59.999Z"))).toBe("2026-11-01");
    expect(monthStart(Date.parse("2026-11-30T23:59:59.999Z"), 2)).toBe("2027-01-01");
    expect(monthStart(Date.parse("2027-01-01T00:00:00.000Z"), -1)).toBe("2026-12-01");
  });
});

for (const backend of testBackends()) {
  describe(`results table on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function ingestAt(nowMs: number, kioskId: string) {
      const central = await createTestCentral(db!, { nowMs });
      const kiosk = await TestKiosk.create(kioskId, { clock: central.clock });
      await central.register(kiosk);
      const request = await kiosk.batch(await kiosk.records(2));
      const res = await central.app.request(request.path, request.init);
      expect(res.status).toBe(200);
      return central;
    }

    if (backend.name === "postgres") {
      test("is range-partitioned by month of received_at, and rows land in their month's partition", async () => {
        db = await backend.create();
        const [parent] = await db.sql`
          select p.partstrat, a.attname from pg_partitioned_table p
          join pg_class c on c.oid = p.partrelid
          join pg_attribute a on a.attrelid = p.partrelid and a.attnum = p.partattrs[0]
          where c.relname = 'upstream_records'`;
        expect([parent.partstrat, parent.attname]).toEqual(["r", "received_at"]);

        await ingestAt(Date.parse("2026-11-23T08:00:00Z"), "hall-1-k1");
        const children = await db.sql`
          select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
          join pg_class p on p.oid = i.inhparent where p.relname = 'upstream_records' order by c.relname`;
        expect(children.map((r: { relname: string }) => r.relname)).toEqual([
          "upstream_records_2026_11",
          "upstream_records_2026_12",
          "upstream_records_2027_01",
          "upstream_records_default",
        ]);
        const homes = await db.sql`select distinct tableoid::regclass::text as part from upstream_records`;
        expect(homes.map((r: { part: string }) => r.part)).toEqual(["upstream_records_2026_11"]);

        // Months later, the partition of the new month exists before the first row of it arrives.
        await ingestAt(Date.parse("2027-03-05T00:00:01Z"), "hall-1-k2");
        const march = await db.sql`select tableoid::regclass::text as part, count(*) as n from upstream_records where kiosk_id = 'hall-1-k2' group by 1`;
        expect(march.map((r: { part: string; n: string }) => [r.part, Number(r.n)])).toEqual([["upstream_records_2027_03", 2]]);
        const [bounds] = await db.sql`
          select pg_get_expr(c.relpartbound, c.oid) as bound from pg_class c where c.relname = 'upstream_records_2027_03'`;
        expect(bounds.bound).toContain("2027-03-01");
        expect(bounds.bound).toContain("2027-04-01");
      });

      test("a month without a partition goes to the default partition, and a blocked partition is logged, not thrown", async () => {
        db = await backend.create();
        await db.sql`insert into upstream_records (kiosk_id, epoch, seq, event_id, kind, schema_version, created_at, boot_id, body,
          body_sha256, prev_hash, chain_hash, key_id, signature, received_at)
          values ('k-1', 1, 1, 'e', 'verification-result', 1, 'x', 'b', '{}', 'h', 'p', 'c', 'k', 's', '2030-01-15T00:00:00Z')`;
        const [row] = await db.sql`select tableoid::regclass::text as part from upstream_records`;
        expect(row.part).toBe("upstream_records_default");
        const { log, records } = captureLogger();
        const partitions = new ResultPartitions(db, log);
        await partitions.ensure(Date.parse("2030-01-20T00:00:00Z"));
        expect(records.filter((r) => r.level === "error").map((r) => r["month"])).toEqual(["2030-01-01"]);
        // Retries wait: a second call right away logs nothing more.
        await partitions.ensure(Date.parse("2030-01-20T00:00:01Z"));
        expect(records.filter((r) => r.level === "error")).toHaveLength(1);
      });
    } else {
      test("is one plain table, and partition upkeep does nothing", async () => {
        db = await backend.create();
        const { log, records } = captureLogger();
        await new ResultPartitions(db, log).ensure(Date.parse("2026-11-23T08:00:00Z"));
        expect(records).toEqual([]);
        await ingestAt(Date.parse("2026-11-23T08:00:00Z"), "hall-1-k1");
        const tables = await db.sql`select name from sqlite_master where type = 'table' and name like 'upstream_records%'`;
        expect(tables.map((r: { name: string }) => r.name)).toEqual(["upstream_records"]);
        const [row] = await db.sql`select count(*) as n, min(received_at) as at from upstream_records`;
        expect([Number(row.n), row.at]).toEqual([2, "2026-11-23T08:00:00.000Z"]);
      });
    }
  });
}
