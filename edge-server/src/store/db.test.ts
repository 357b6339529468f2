import { afterEach, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { isKioskError } from "@kiosk/contracts";
import { openSync, writeFileSync, writeSync, closeSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "./db.ts";
import { tempDir } from "./testing/store-fixtures.ts";

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function fresh(): string {
  const t = tempDir("kiosk-db-");
  cleanup = t.remove;
  return t.dir;
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("openDatabase", () => {
  test("opens a new file in WAL mode with synchronous=FULL, a busy timeout, foreign keys and secure delete", () => {
    const path = join(fresh(), "sub", "kiosk.db");
    const db = openDatabase(path);
    const pragma = (name: string) => Object.values(db.query(`PRAGMA ${name}`).get() as Record<string, unknown>)[0];
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("synchronous")).toBe(2);
    expect(pragma("busy_timeout")).toBe(5000);
    expect(pragma("foreign_keys")).toBe(1);
    expect(pragma("secure_delete")).toBe(1);
    expect(pragma("auto_vacuum")).toBe(2);
    db.close();
  });

  test("a file that is not a database is store-failed, not retryable, and says not to delete it", () => {
    const path = join(fresh(), "kiosk.db");
    writeFileSync(path, "x".repeat(8192));
    const error = errorOf(() => openDatabase(path));
    expect(isKioskError(error, "store-failed")).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(false);
    expect((error as Error).message).toContain("do not delete it");
  });

  test("a database with a damaged page fails the quick_check at open", () => {
    const path = join(fresh(), "kiosk.db");
    const db = new Database(path, { create: true, strict: true });
    db.run("PRAGMA page_size = 4096");
    db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT");
    db.run("CREATE INDEX t_v ON t (v)");
    const insert = db.query("INSERT INTO t (v) VALUES (?)");
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(`value-${i}-${"p".repeat(40)}`);
    })();
    db.close();
    // Scribble over the middle of the file (table and index pages), keeping the header intact.
    const fd = openSync(path, "r+");
    writeSync(fd, new Uint8Array(4096).fill(0x5a), 0, 4096, 4096 * 5);
    writeSync(fd, new Uint8Array(4096).fill(0xa5), 0, 4096, 4096 * 12);
    closeSync(fd);
    const error = errorOf(() => openDatabase(path));
    expect(isKioskError(error, "store-failed")).toBe(true);
    expect((error as Error).message).toContain("damaged or unreadable");
  });

  test("waits for a lock another process holds while opening, instead of calling the file damaged", async () => {
    const path = join(fresh(), "kiosk.db");
    openDatabase(path).close();
    // Another process holds the file exclusively for a moment (as WAL recovery after a crash does).
    const holder = Bun.spawn(
      [
        process.execPath,
        "-e",
        `const { Database } = require("bun:sqlite");
         const db = new Database(${JSON.stringify(path)});
         db.run("PRAGMA locking_mode = EXCLUSIVE");
         db.run("BEGIN EXCLUSIVE");
         db.run("CREATE TABLE held (x INTEGER)");
         db.run("COMMIT");
         console.log("locked");
         setTimeout(() => { db.close(); process.exit(0); }, 400);`,
      ],
      { stdout: "pipe", stderr: "inherit" },
    );
    const reader = holder.stdout.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain("locked");
    const started = performance.now();
    const db = openDatabase(path);
    expect(performance.now() - started).toBeGreaterThan(50);
    expect(db.query("SELECT count(*) AS n FROM held").get()).toEqual({ n: 0 });
    db.close();
    expect(await holder.exited).toBe(0);
  });
});
