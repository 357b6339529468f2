import { afterEach, describe, expect, test } from "bun:test";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { SqlSeenNonces } from "./sql-seen-nonces.ts";

const T0 = Date.parse("2026-11-23T08:00:00.000Z");
const WINDOW_MS = 300_000;

async function rows(db: TestDatabase): Promise<number> {
  return Number((await db.sql`select count(*) as n from request_nonces`)[0].n);
}

for (const backend of testBackends()) {
  describe(`SqlSeenNonces on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("a nonce is new once per key, for every instance on the database", async () => {
      db = await backend.create();
      const first = new SqlSeenNonces(db);
      const second = new SqlSeenNonces(db);
      expect(await first.claim("key-1", "nonce-aaaaaaaaaaaaaaaa", T0 + WINDOW_MS, T0)).toBe(true);
      expect(await first.claim("key-1", "nonce-aaaaaaaaaaaaaaaa", T0 + WINDOW_MS, T0 + 1)).toBe(false);
      expect(await second.claim("key-1", "nonce-aaaaaaaaaaaaaaaa", T0 + WINDOW_MS, T0 + 2)).toBe(false);
      expect(await second.claim("key-2", "nonce-aaaaaaaaaaaaaaaa", T0 + WINDOW_MS, T0 + 3)).toBe(true);
    });

    test("two instances claiming the same nonce at once: exactly one wins", async () => {
      db = await backend.create();
      const claims = Array.from({ length: 8 }, (_, i) => new SqlSeenNonces(db!).claim("key-1", "nonce-raced-aaaaaaaa", T0 + WINDOW_MS, T0 + i));
      expect((await Promise.all(claims)).filter(Boolean)).toHaveLength(1);
    });

    test("nonces past their expiry are pruned, at most once a minute", async () => {
      db = await backend.create();
      const nonces = new SqlSeenNonces(db);
      const left = async () => (await db!.sql`select nonce from request_nonces order by nonce`).map((r: { nonce: string }) => r.nonce);
      await nonces.claim("key-1", "nonce-a-aaaaaaaaaaaaa", T0 + WINDOW_MS, T0);
      await nonces.claim("key-1", "nonce-b-aaaaaaaaaaaaa", T0 + WINDOW_MS + 10_000, T0 + 1);
      expect(await rows(db)).toBe(2);
      // Past the first expiry: the first nonce goes, the second stays.
      await nonces.claim("key-1", "nonce-c-aaaaaaaaaaaaa", T0 + 2 * WINDOW_MS, T0 + WINDOW_MS + 1);
      expect(await left()).toEqual(["nonce-b-aaaaaaaaaaaaa", "nonce-c-aaaaaaaaaaaaa"]);
      // The second has expired too, but the last prune was less than a minute ago.
      await nonces.claim("key-1", "nonce-d-aaaaaaaaaaaaa", T0 + 2 * WINDOW_MS, T0 + WINDOW_MS + 30_000);
      expect(await rows(db)).toBe(3);
      await nonces.claim("key-1", "nonce-e-aaaaaaaaaaaaa", T0 + 2 * WINDOW_MS, T0 + WINDOW_MS + 60_001);
      expect(await left()).toEqual(["nonce-c-aaaaaaaaaaaaa", "nonce-d-aaaaaaaaaaaaa", "nonce-e-aaaaaaaaaaaaa"]);
    });
  });
}
