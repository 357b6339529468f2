import { afterEach, describe, expect, test } from "bun:test";
import { testBackends, type TestDatabase } from "@kiosk/central/testing";
import { createHash } from "node:crypto";
import { join } from "node:path";

const CLI = join(import.meta.dir, "..", "main.ts");

async function kiosk(db: TestDatabase, args: string[]) {
  const env: Record<string, string> = { PATH: process.env["PATH"] ?? "" };
  if (db.target.url) env["DATABASE_URL"] = db.target.url;
  else env["KIOSK_CENTRAL_DATABASE_SQLITE_PATH"] = db.target.sqlitePath;
  const proc = Bun.spawn([process.execPath, CLI, ...args], { env, stdout: "pipe", stderr: "pipe" });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

for (const backend of testBackends()) {
  describe(`./kiosk central token create on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("prints a new token once and stores only its hash", async () => {
      db = await backend.create();
      const { code, stdout, stderr } = await kiosk(db, ["central", "token", "create", "--name", "registration-system"]);
      expect(code).toBe(0);
      const token = stdout.trim();
      expect(token).toMatch(/^skc_[A-Za-z0-9_-]{43}$/);
      expect(stderr).toContain("shown only now");
      const rows = await db.sql`select token_sha256, name from api_tokens`;
      expect(rows.map((r: { token_sha256: string; name: string }) => [r.token_sha256, r.name])).toEqual([
        [createHash("sha256").update(token).digest("hex"), "registration-system"],
      ]);
      const noName = await kiosk(db, ["central", "token", "create"]);
      expect([noName.code, noName.stdout]).toEqual([2, ""]);
    });
  });
}
