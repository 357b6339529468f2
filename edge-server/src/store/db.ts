/**
 * Opening the kiosk's SQLite database with the settings durability depends
 * on, and refusing to run on a corrupt file.
 */
import { Database } from "bun:sqlite";
import { KioskError } from "@kiosk/contracts";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

/** How long a statement waits for a lock held by another connection, in milliseconds (sync.md §4.2). */
export const BUSY_TIMEOUT_MS = 5_000;

/** Size the WAL file is cut back to after a checkpoint, in bytes. */
export const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/** Options of {@linkcode openDatabase}. */
export interface OpenDatabaseOptions {
  /** Overrides {@linkcode BUSY_TIMEOUT_MS}. */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (creating when missing) the SQLite file at `path` in WAL mode with
 * `synchronous=FULL`, so a commit is on disk (fsync'd) before it returns,
 * then runs `PRAGMA quick_check`.
 *
 * @param path a file path, or `:memory:` for tests that need no durability.
 * @throws {KioskError} `store-failed` (not retryable) when the file cannot be
 *   opened or fails the integrity check; the message says what to do.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const memory = path === ":memory:";
  let db: Database;
  try {
    if (!memory) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    db = new Database(path, { create: true, strict: true });
  } catch (cause) {
    throw new KioskError("store-failed", `Cannot open the kiosk database "${path}": ${(cause as Error).message}`, { cause, retryable: false });
  }
  try {
    // First of all: every statement below takes a lock, and another process may
    // hold one for a moment (WAL recovery after a crash, a checkpoint, a second
    // connection). Without the timeout that fails at once and reads as damage.
    db.run(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
    // Set before the first table exists (it has no effect later) so purged
    // personal data can be given back to the filesystem by incremental_vacuum.
    db.run("PRAGMA auto_vacuum = INCREMENTAL");
    const mode = db.query<{ journal_mode: string }, []>("PRAGMA journal_mode = WAL").get()?.journal_mode;
    if (!memory && mode !== "wal") throw new Error(`journal_mode is "${String(mode)}", expected "wal"`);
    // FULL: in WAL mode NORMAL may lose the last commits on power loss, and a
    // result shown as saved must survive a power cut (sync.md §4.1 invariant 1).
    db.run("PRAGMA synchronous = FULL");
    db.run("PRAGMA foreign_keys = ON");
    // Overwrite deleted content, so purged ciphertext is not left in free pages.
    db.run("PRAGMA secure_delete = ON");
    // Checkpoints truncate the WAL back to this size, so it does not keep the size of its largest burst.
    db.run(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const problems = db
      .query<{ quick_check: string }, []>("PRAGMA quick_check")
      .all()
      .map((row) => row.quick_check);
    if (problems.length !== 1 || problems[0] !== "ok") throw new Error(`quick_check reports: ${problems.slice(0, 5).join("; ")}`);
  } catch (cause) {
    db.close();
    throw new KioskError(
      "store-failed",
      `The kiosk database "${path}" is damaged or unreadable (${(cause as Error).message}): ` +
        "stop the edge server, keep a copy of the file with its -wal and -shm files (it may hold unsent results), " +
        "and call a technician to recover it; do not delete it",
      { cause, retryable: false },
    );
  }
  return db;
}
