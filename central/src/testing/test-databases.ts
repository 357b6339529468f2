/**
 * Every central test runs on both backends. `testDatabases()` gives one
 * factory per backend; each call creates a fresh, empty, migrated database.
 */
import { silentLogger } from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { openDatabase, type Database } from "../store/database.ts";
import { migrate } from "../store/migrate.ts";
import { MIGRATIONS } from "../store/migrations/index.ts";
import { testPgUrl } from "./config.ts";
import { startPgCluster, type PgCluster } from "./pg-cluster.ts";

/** A way to get fresh databases of one dialect. */
export interface TestBackend {
  readonly name: "sqlite" | "postgres";
  /** A new empty database; `migrated: false` skips the migrations. */
  create(options?: { migrated?: boolean }): Promise<TestDatabase>;
}

/** A database made for one test; `dispose()` drops it. */
export interface TestDatabase extends Database {
  /** URL (PostgreSQL) or file path (SQLite), for starting a central process on it. */
  readonly target: { readonly url?: string; readonly sqlitePath: string };
  dispose(): Promise<void>;
}

// One cluster per test process, started on first use when the runner gave none.
const CLUSTER_KEY = Symbol.for("kiosk.test.pgCluster");
type Holder = { [CLUSTER_KEY]?: Promise<PgCluster> };

async function clusterUrl(): Promise<string> {
  const given = testPgUrl();
  if (given) return given;
  const holder = globalThis as Holder;
  holder[CLUSTER_KEY] ??= startPgCluster();
  return (await holder[CLUSTER_KEY]).url;
}

let counter = 0;

const sqliteBackend: TestBackend = {
  name: "sqlite",
  async create(options = {}) {
    const dir = mkdtempSync(join(tmpdir(), "central-test-"));
    const sqlitePath = join(dir, "central.db");
    const db = await openDatabase({ sqlitePath });
    if (options.migrated !== false) await migrate(db, MIGRATIONS, silentLogger);
    return {
      ...db,
      target: { sqlitePath },
      dispose: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgresBackend: TestBackend = {
  name: "postgres",
  async create(options = {}) {
    const base = await clusterUrl();
    const name = `t_${process.pid}_${Date.now()}_${counter++}`;
    const admin = new SQL({ url: base, max: 1 });
    await admin.unsafe(`create database ${name}`);
    await admin.close();
    const url = base.replace(/\/[^/]*$/, `/${name}`);
    const db = await openDatabase({ url, sqlitePath: "" });
    if (options.migrated !== false) await migrate(db, MIGRATIONS, silentLogger);
    return {
      ...db,
      target: { url, sqlitePath: "" },
      dispose: async () => {
        await db.close();
        const cleanup = new SQL({ url: base, max: 1 });
        await cleanup.unsafe(`drop database if exists ${name} with (force)`);
        await cleanup.close();
      },
    };
  },
};

/** Both backends, SQLite first. */
export function testBackends(): readonly TestBackend[] {
  return [sqliteBackend, postgresBackend];
}
