/**
 * A throwaway database in a PostgreSQL server (a throwaway cluster or one a
 * runner gave): made empty for one test, benchmark or chaos run, dropped
 * afterwards.
 */
import { SQL } from "bun";

/** A database of its own; `dispose` drops it. */
export interface PgDatabase {
  readonly name: string;
  /** Connection URL of the database: the server's URL with its database name replaced. */
  readonly url: string;
  /** Drops the database, closing any connection still open to it. */
  dispose(): Promise<void>;
}

let counter = 0;

// Runs one statement on a single connection of its own.
async function runOnServer(serverUrl: string, statement: string): Promise<void> {
  const admin = new SQL({ url: serverUrl, max: 1 });
  try {
    await admin.unsafe(statement);
  } finally {
    await admin.close();
  }
}

/**
 * Creates a new empty database named `<prefix>_<pid>_<time>_<n>` in the server
 * at `serverUrl` (a URL of a user that may create databases).
 *
 * @throws whatever PostgreSQL answers when the database cannot be created.
 */
export async function createPgDatabase(serverUrl: string, prefix: string): Promise<PgDatabase> {
  const name = `${prefix}_${process.pid}_${Date.now()}_${counter++}`;
  await runOnServer(serverUrl, `create database ${name}`);
  return {
    name,
    url: serverUrl.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`),
    dispose: () => runOnServer(serverUrl, `drop database if exists ${name} with (force)`),
  };
}
