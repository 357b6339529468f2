import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../../testing/test-databases.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-heartbeats.ts";

for (const backend of testBackends()) {
  describe(`migration 0001 on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("creates kiosk_heartbeats with one row per kiosk", async () => {
      db = await backend.create({ migrated: false });
      await migrate(db, [migration0001], silentLogger);
      const insert = (id: string) =>
        db!.sql`insert into kiosk_heartbeats values (${id}, 1, 1, 'x', 'b', 1, 'ok', 'v', 0, '{}', 1)`;
      await insert("k-1");
      await expect(insert("k-1")).rejects.toThrow();
      const rows = await db.sql`select kiosk_id from kiosk_heartbeats`;
      expect(rows.map((r: { kiosk_id: string }) => r.kiosk_id)).toEqual(["k-1"]);
    });
  });
}
