import { afterEach, describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { createPgDatabase, startPgCluster, type PgCluster } from "@kiosk/central/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { openBackend } from "./backend.ts";

let cluster: PgCluster | undefined;
let workDir = "";
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  rmSync(workDir, { recursive: true, force: true });
});

async function answers(url: string): Promise<boolean> {
  const sql = new SQL({ url, max: 1, connectionTimeout: 5 });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.close();
  }
}

describe("openBackend", () => {
  test("when the database cannot be created, the cluster started for it is stopped and the creation's error is reported", async () => {
    workDir = mkdtempSync(join(tmpdir(), "chaos-backend-"));
    let started: PgCluster | undefined;
    const deps = {
      startCluster: async () => (cluster = started = await startPgCluster()),
      // A role the cluster does not have: PostgreSQL itself refuses the creation.
      createDatabase: (serverUrl: string, prefix: string) => createPgDatabase(serverUrl.replace("//postgres@", "//nobody@"), prefix),
    };
    await expect(openBackend({}, workDir, silentLogger, deps)).rejects.toThrow('role "nobody" does not exist');
    expect(started).toBeDefined();
    expect(await answers(started?.url ?? "")).toBe(false);
  }, 60_000);

  test("a cluster of its own: central's database in it, and cleanup drops it and stops the cluster", async () => {
    workDir = mkdtempSync(join(tmpdir(), "chaos-backend-"));
    let started: PgCluster | undefined;
    const backend = await openBackend({}, workDir, silentLogger, { startCluster: async () => (cluster = started = await startPgCluster()), createDatabase: createPgDatabase });
    expect(backend.kind).toBe("postgres");
    expect(backend.env["DATABASE_URL"]).toMatch(/\/sync_chaos_\d+_\d+_\d+$/);
    expect(await answers(backend.env["DATABASE_URL"] ?? "")).toBe(true);
    await backend.cleanup();
    expect(await answers(started?.url ?? "")).toBe(false);
  }, 60_000);

  test("SQLite when asked: a file in the work folder", async () => {
    workDir = mkdtempSync(join(tmpdir(), "chaos-backend-"));
    const backend = await openBackend({ sqlite: true }, workDir, silentLogger);
    expect(backend).toMatchObject({ kind: "sqlite", store: { sqlitePath: join(workDir, "central.db") }, env: { KIOSK_CENTRAL_DATABASE_SQLITE_PATH: join(workDir, "central.db") } });
  });
});
