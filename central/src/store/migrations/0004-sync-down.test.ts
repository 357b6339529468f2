import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../../testing/test-databases.ts";
import { migrate } from "../migrate.ts";
import { MIGRATIONS } from "./index.ts";
import { migration0004 } from "./0004-sync-down.ts";

for (const backend of testBackends()) {
  describe(`migration 0004 on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("change numbers never repeat, even after every change was deleted", async () => {
      db = await backend.create({ migrated: false });
      await migrate(db, MIGRATIONS.filter((m) => m.version <= migration0004.version), silentLogger);
      const sql = db.sql;
      const change = async () =>
        Number((await sql`insert into change_log (kind, ref, hall_id, prev_hall_id, changed_at_ms) values ('matter', 'm', 'h', ${null}, 1) returning change_id`)[0].change_id);
      expect([await change(), await change()]).toEqual([1, 2]);
      await sql`delete from change_log`;
      expect(await change()).toBe(3);
      await expect(sql`insert into change_log (kind, ref, changed_at_ms) values ('other', 'm', 1)`).rejects.toThrow();
    });

    test("the writer lock is one row, and tokens are kept by their hash only", async () => {
      db = await backend.create({ migrated: false });
      await migrate(db, MIGRATIONS.filter((m) => m.version <= migration0004.version), silentLogger);
      const sql = db.sql;
      expect(Number((await sql`select count(*) as n from change_log_writer`)[0].n)).toBe(1);
      await expect(sql`insert into change_log_writer (id, last_write_ms) values (2, 0)`).rejects.toThrow();
      const columns =
        backend.name === "postgres"
          ? await sql`select column_name as name from information_schema.columns where table_name = 'api_tokens' order by ordinal_position`
          : await sql`select name from pragma_table_info('api_tokens') order by cid`;
      expect(columns.map((c: { name: string }) => c.name)).toEqual(["token_sha256", "name", "created_at_ms", "revoked_at_ms"]);
    });
  });
}
