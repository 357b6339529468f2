/**
 * The central database: embedded SQLite by default, PostgreSQL when a URL is
 * configured. Both are reached through Bun.SQL, so repositories write one set
 * of queries; the few dialect differences live in the migrations.
 */
import { KioskError } from "@kiosk/contracts";
import { SQL } from "bun";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** Which engine a {@linkcode Database} runs on. */
export type Dialect = "sqlite" | "postgres";

/** An open connection (pool) to the central database. */
export interface Database {
  readonly dialect: Dialect;
  readonly sql: SQL;
  /** Where the data lives, with any password removed. */
  readonly location: string;
  close(): Promise<void>;
}

/** Where to find the database. */
export interface DatabaseOptions {
  /** A `postgres://` URL; when absent, SQLite at `sqlitePath` is used. */
  readonly url?: string | undefined;
  readonly sqlitePath: string;
  /** Largest number of PostgreSQL connections. */
  readonly maxConnections?: number;
}

/**
 * Opens the database and checks that it answers.
 * @throws {KioskError} `store-failed` when it cannot be opened or reached.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const db = options.url ? openPostgres(options.url, options.maxConnections ?? 10) : openSqlite(options.sqlitePath);
  try {
    if (db.dialect === "sqlite") {
      // WAL keeps readers (the console) off the writers' backs; FULL makes
      // every commit durable before central answers a kiosk.
      await db.sql.unsafe("PRAGMA journal_mode = WAL");
      await db.sql.unsafe("PRAGMA synchronous = FULL");
      await db.sql.unsafe("PRAGMA busy_timeout = 5000");
      await db.sql.unsafe("PRAGMA foreign_keys = ON");
    }
    await db.sql`select 1 as ok`;
  } catch (cause) {
    await db.close().catch(() => undefined);
    throw new KioskError("store-failed", `Cannot open the central database at ${db.location}: ${(cause as Error).message}`, { cause });
  }
  return db;
}

function openSqlite(path: string): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sql = new SQL({ adapter: "sqlite", filename: path });
  return { dialect: "sqlite", sql, location: `sqlite:${path}`, close: () => sql.close() };
}

function openPostgres(url: string, max: number): Database {
  const sql = new SQL({ url, max });
  return { dialect: "postgres", sql, location: redactUrl(url), close: () => sql.close() };
}

/** A URL with its password replaced, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
