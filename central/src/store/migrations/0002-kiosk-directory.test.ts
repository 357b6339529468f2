import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../../testing/test-databases.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-heartbeats.ts";
import { migration0002 } from "./0002-kiosk-directory.ts";

for (const backend of testBackends()) {
  describe(`migration 0002 on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("a key id and a public key belong to one registered kiosk only", async () => {
      db = await backend.create({ migrated: false });
      await migrate(db, [migration0001, migration0002], silentLogger);
      const sql = db.sql;
      await sql`insert into kiosks values ('k-1', 'hall-a', 1, 1), ('k-2', 'hall-a', 1, 1)`;
      await sql`insert into kiosk_keys values ('key-1', 'k-1', 'PUB1', 1, ${null})`;
      await expect(sql`insert into kiosk_keys values ('key-1', 'k-2', 'PUB2', 1, ${null})`).rejects.toThrow();
      await expect(sql`insert into kiosk_keys values ('key-2', 'k-2', 'PUB1', 1, ${null})`).rejects.toThrow();
      await expect(sql`insert into kiosk_keys values ('key-3', 'k-404', 'PUB3', 1, ${null})`).rejects.toThrow();
      const rows = await sql`select key_id, kiosk_id from kiosk_keys`;
      expect(rows.map((r: { key_id: string; kiosk_id: string }) => [r.key_id, r.kiosk_id])).toEqual([["key-1", "k-1"]]);
    });
  });
}
