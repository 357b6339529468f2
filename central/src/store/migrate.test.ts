import { afterEach, describe, expect, test } from "bun:test";
import { captureLogger } from "@kiosk/contracts/testing";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { migrate } from "./migrate.ts";
import type { Migration } from "./migration.ts";
import { MIGRATIONS } from "./migrations/index.ts";

const extra: Migration = {
  version: 999,
  name: "probe",
  up: { sqlite: ["create table probe (x integer) strict"], postgres: ["create table probe (x integer)"] },
};

for (const backend of testBackends()) {
  describe(`migrate on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("applies every migration once, in order, and records it", async () => {
      db = await backend.create({ migrated: false });
      const { log, records } = captureLogger();
      expect(await migrate(db, MIGRATIONS, log)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await migrate(db, MIGRATIONS, log)).toEqual([]);
      const rows = await db.sql`select version, name from schema_migrations order by version`;
      expect(rows.map((r: { version: number | string; name: string }) => [Number(r.version), r.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
      expect(records.filter((r) => r.msg === "applied migration")).toHaveLength(MIGRATIONS.length);
    });

    test("rolls back every statement of a failing run", async () => {
      db = await backend.create({ migrated: false });
      const broken: Migration = { version: 1000, name: "broken", up: { sqlite: ["create table nope ("], postgres: ["create table nope ("] } };
      const { log } = captureLogger();
      await expect(migrate(db, [...MIGRATIONS, extra, broken], log)).rejects.toThrow();
      const rows = await db.sql`select count(*) as n from schema_migrations`.catch(() => [{ n: 0 }]);
      expect(Number(rows[0].n)).toBe(0);
    });

    test("refuses a database migrated by a newer release", async () => {
      db = await backend.create({ migrated: false });
      const { log } = captureLogger();
      await migrate(db, [...MIGRATIONS, extra], log);
      await expect(migrate(db, MIGRATIONS, log)).rejects.toThrow("schema version 999");
    });
  });
}
