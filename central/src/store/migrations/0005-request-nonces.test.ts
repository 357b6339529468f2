import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../../testing/test-databases.ts";
import { migrate } from "../migrate.ts";
import { MIGRATIONS } from "./index.ts";
import { migration0005 } from "./0005-request-nonces.ts";

for (const backend of testBackends()) {
  describe(`migration 0005 on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("a nonce is unique per key id, and another key may use the same nonce", async () => {
      db = await backend.create({ migrated: false });
      await migrate(db, MIGRATIONS.filter((m) => m.version <= migration0005.version), silentLogger);
      const sql = db.sql;
      const expiresAtMs = Date.parse("2026-11-23T08:05:00.000Z");
      await sql`insert into request_nonces (key_id, nonce, expires_at_ms) values ('key-1', 'nonce-aaaaaaaaaaaa', ${expiresAtMs})`;
      await expect(sql`insert into request_nonces (key_id, nonce, expires_at_ms) values ('key-1', 'nonce-aaaaaaaaaaaa', ${expiresAtMs + 1})`).rejects.toThrow();
      await sql`insert into request_nonces (key_id, nonce, expires_at_ms) values ('key-2', 'nonce-aaaaaaaaaaaa', ${expiresAtMs})`;
      await expect(sql`insert into request_nonces (key_id, nonce, expires_at_ms) values ('key-3', 'nonce-b', ${null})`).rejects.toThrow();
      const rows = await sql`select key_id, expires_at_ms from request_nonces order by key_id`;
      expect(rows.map((r: { key_id: string; expires_at_ms: number | string }) => [r.key_id, Number(r.expires_at_ms)])).toEqual([
        ["key-1", expiresAtMs],
        ["key-2", expiresAtMs],
      ]);
    });
  });
}
