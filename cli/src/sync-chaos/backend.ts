/**
 * Central's database for a chaos run: a database of its own in a given
 * PostgreSQL server or in a throwaway cluster, or SQLite when no PostgreSQL
 * can start (or when asked). Whatever was set up is removed by `cleanup`,
 * and a setup that fails half-way removes what it had set up.
 */
import type { Logger } from "@kiosk/contracts";
import { createPgDatabase, startPgCluster, type PgCluster, type PgDatabase } from "@kiosk/central/testing";
import { join } from "node:path";
import type { CentralStore } from "./checker.ts";

/** Where central keeps its data during a run. */
export interface Backend {
  readonly kind: "postgres" | "sqlite";
  /** How the checker reads central's store at the end. */
  readonly store: CentralStore;
  /** Central's environment settings that select it. */
  readonly env: Readonly<Record<string, string>>;
  /** Drops the database and stops the cluster started for it. */
  cleanup(): Promise<void>;
}

/** Which backend to open. */
export interface BackendChoice {
  /** Force SQLite. */
  readonly sqlite?: boolean | undefined;
  /** PostgreSQL server to create the run's database in; otherwise a throwaway cluster. */
  readonly postgresUrl?: string | undefined;
}

/** How the backend is set up (tests replace them). */
export interface BackendDeps {
  readonly startCluster: () => Promise<PgCluster>;
  readonly createDatabase: (serverUrl: string, prefix: string) => Promise<PgDatabase>;
}

const DEFAULT_DEPS: BackendDeps = { startCluster: () => startPgCluster(), createDatabase: createPgDatabase };

/**
 * Opens the run's backend in `workDir`.
 *
 * @throws when the database cannot be created in a server that runs; a
 *   cluster started for it has been stopped by then.
 */
export async function openBackend(choice: BackendChoice, workDir: string, log: Logger, deps: BackendDeps = DEFAULT_DEPS): Promise<Backend> {
  const sqlite = (): Backend => {
    const sqlitePath = join(workDir, "central.db");
    return { kind: "sqlite", store: { sqlitePath }, env: { KIOSK_CENTRAL_DATABASE_SQLITE_PATH: sqlitePath }, cleanup: async () => {} };
  };
  if (choice.sqlite) return sqlite();
  let cluster: PgCluster | undefined;
  let server = choice.postgresUrl;
  if (!server) {
    try {
      cluster = await deps.startCluster();
      server = cluster.url;
    } catch (error) {
      log.warn("no PostgreSQL available; running on SQLite with one central", { error });
      return sqlite();
    }
  }
  let database: PgDatabase;
  try {
    database = await deps.createDatabase(server, "sync_chaos");
  } catch (error) {
    await cluster?.stop().catch((stopError: unknown) => log.warn("cannot stop the chaos run's PostgreSQL cluster", { error: stopError }));
    throw error;
  }
  return {
    kind: "postgres",
    store: { url: database.url },
    env: { DATABASE_URL: database.url },
    cleanup: async () => {
      try {
        await database.dispose();
      } finally {
        await cluster?.stop();
      }
    },
  };
}
