import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { openDatabase } from "./db.ts";
import { migrate } from "./migrate.ts";
import { MIGRATIONS } from "./migrations/index.ts";

describe("migrate", () => {
  test("applies every migration once, in order, and records them", () => {
    const db = openDatabase(":memory:");
    expect(migrate(db, MIGRATIONS, silentLogger, 1)).toEqual([1, 2, 3, 4, 5]);
    expect(migrate(db, MIGRATIONS, silentLogger, 2)).toEqual([]);
    const rows = db.query<{ version: number; name: string }, []>("SELECT version, name FROM schema_migrations ORDER BY version").all();
    expect(rows).toEqual([
      { version: 1, name: "kiosk-identity" },
      { version: 2, name: "records-outbox" },
      { version: 3, name: "sync-cache" },
      { version: 4, name: "receipt-results-digest" },
      { version: 5, name: "record-wire-bytes" },
    ]);
    db.close();
  });

  test("refuses a database migrated by a newer release", () => {
    const db = openDatabase(":memory:");
    migrate(db, MIGRATIONS, silentLogger, 1);
    db.run("INSERT INTO schema_migrations VALUES (99, 'future', 1)");
    expect(() => migrate(db, MIGRATIONS, silentLogger, 2)).toThrow(RangeError);
    db.close();
  });

  test("a failing migration leaves nothing behind", () => {
    const db = openDatabase(":memory:");
    const broken = { version: 1, name: "broken", up: ["CREATE TABLE a (x INTEGER) STRICT", "CREATE TABLE a (y INTEGER) STRICT"] };
    expect(() => migrate(db, [broken], silentLogger, 1)).toThrow();
    expect(db.query("SELECT name FROM sqlite_master WHERE name = 'a'").get()).toBeNull();
    db.close();
  });
});
