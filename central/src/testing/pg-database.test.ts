import { afterAll, describe, expect, test } from "bun:test";
import { SQL } from "bun";
import { testPgUrl } from "./config.ts";
import { startPgCluster, type PgCluster } from "./pg-cluster.ts";
import { createPgDatabase } from "./pg-database.ts";

let cluster: PgCluster | undefined;
afterAll(async () => {
  await cluster?.stop();
});

async function serverUrl(): Promise<string> {
  const given = testPgUrl();
  if (given) return given;
  cluster = await startPgCluster();
  return cluster.url;
}

async function databaseExists(server: string, name: string): Promise<boolean> {
  const admin = new SQL({ url: server, max: 1 });
  try {
    return (await admin`select 1 from pg_database where datname = ${name}`).length === 1;
  } finally {
    await admin.close();
  }
}

describe("createPgDatabase", () => {
  test("makes an empty database of its own, reached by the server's URL with the name replaced, and drops it", async () => {
    const server = await serverUrl();
    const [first, second] = [await createPgDatabase(`${server}?sslmode=disable`, "pg_database_test"), await createPgDatabase(server, "pg_database_test")];
    expect(first.name).not.toBe(second.name);
    expect(first.url).toEndWith(`/${first.name}?sslmode=disable`);
    const sql = new SQL({ url: first.url, max: 1 });
    expect(await sql`select current_database() as name, count(*)::int as tables from pg_tables where schemaname = 'public'`).toEqual([{ name: first.name, tables: 0 }]);
    // An open connection does not keep it from being dropped.
    await first.dispose();
    await second.dispose();
    await sql.close();
    expect(await databaseExists(server, first.name)).toBe(false);
    expect(await databaseExists(server, second.name)).toBe(false);
  }, 60_000);
});
