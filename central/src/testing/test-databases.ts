/**
 * Every central test runs on both backends. `testDatabases()` gives one
 * factory per backend; each call creates a fresh, empty, migrated database.
 */
import { silentLogger } from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Database } from "../store/database.ts";
import { migrate } from "../store/migrate.ts";
import { MIGRATIONS } from "../store/migrations/index.ts";
import { testPgUrl } from "./config.ts";
import { startPgCluster, type PgCluster } from "./pg-cluster.ts";
import { createPgDatabase } from "./pg-database.ts";

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
    const database = await createPgDatabase(await clusterUrl(), "t");
    const db = await openDatabase({ url: database.url, sqlitePath: "" });
    if (options.migrated !== false) await migrate(db, MIGRATIONS, silentLogger);
    return {
      ...db,
      target: { url: database.url, sqlitePath: "" },
      dispose: async () => {
        await db.close();
        await database.dispose();
      },
    };
  },
};

/** Both backends, SQLite first. */
export function testBackends(): readonly TestBackend[] {
  return [sqliteBackend, postgresBackend];
}
