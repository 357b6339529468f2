import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "@kiosk/central/testing";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "main.ts");

// Runs `./kiosk …` as a real process against the test database.
async function kiosk(db: TestDatabase, args: string[]) {
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "" };
  if (db.target.url) env["DATABASE_URL"] = db.target.url;
  else env["KIOSK_CENTRAL_DATABASE_SQLITE_PATH"] = db.target.sqlitePath;
  const proc = Bun.spawn([process.execPath, CLI, ...args], { env, stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

for (const backend of testBackends()) {
  describe(`./kiosk central register-kiosk on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("registers a key for a kiosk and its hall, idempotently, and prints one JSON line", async () => {
      db = await backend.create({ migrated: false });
      const signer = await generateSigner();
      const publicKey = Buffer.from(signer.publicKey).toString("base64");
      const args = ["central", "register-kiosk", "--kiosk-id", "hall-a-k1", "--hall", "hall-a", "--public-key", publicKey];
      const first = await kiosk(db, args);
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toEqual({ ok: true, kioskId: "hall-a-k1", hallId: "hall-a", keyId: signer.keyId, created: true, hallChanged: false });
      const again = await kiosk(db, args);
      expect(JSON.parse(again.stdout)).toMatchObject({ created: false });
      const rows = await db.sql`select k.key_id, k.public_key, s.hall_id from kiosk_keys k join kiosks s on s.kiosk_id = k.kiosk_id`;
      expect(rows.map((r: { key_id: string; public_key: string; hall_id: string }) => [r.key_id, r.public_key, r.hall_id])).toEqual([
        [signer.keyId, publicKey, "hall-a"],
      ]);
    });

    test("refuses bad usage, a malformed key and a key of another kiosk with exit 2", async () => {
      db = await backend.create();
      const signer = await generateSigner();
      const publicKey = Buffer.from(signer.publicKey).toString("base64url");
      const missing = await kiosk(db, ["central", "register-kiosk", "--kiosk-id", "hall-a-k1"]);
      expect([missing.code, missing.stderr]).toEqual([2, expect.stringContaining("Missing --hall, --public-key")]);
      const short = await kiosk(db, ["central", "register-kiosk", "--kiosk-id", "hall-a-k1", "--hall", "hall-a", "--public-key", "AAAA"]);
      expect([short.code, short.stderr]).toEqual([2, expect.stringContaining("Invalid --public-key")]);
      expect((await kiosk(db, ["central", "register-kiosk", "--kiosk-id", "hall-a-k1", "--hall", "hall-a", "--public-key", publicKey])).code).toBe(0);
      const stolen = await kiosk(db, ["central", "register-kiosk", "--kiosk-id", "hall-a-k2", "--hall", "hall-a", "--public-key", publicKey]);
      expect([stolen.code, stolen.stderr]).toEqual([2, expect.stringContaining('belongs to kiosk "hall-a-k1"')]);
    });
  });
}
