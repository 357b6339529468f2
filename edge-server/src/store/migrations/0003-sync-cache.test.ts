import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { openDatabase } from "../db.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-identity.ts";
import { migration0002 } from "./0002-records-outbox.ts";
import { migration0003 } from "./0003-sync-cache.ts";

function setup() {
  const db = openDatabase(":memory:");
  migrate(db, [migration0001, migration0002, migration0003], silentLogger, 1);
  return db;
}

describe("migration 0003 sync-cache", () => {
  test("starts with one sync state row at cursor 0", () => {
    const db = setup();
    expect(db.query("SELECT cursor, hall_id, last_complete_at_ms FROM sync_state").all()).toEqual([{ cursor: 0, hall_id: null, last_complete_at_ms: null }]);
    expect(() => db.run("INSERT INTO sync_state (singleton, cursor) VALUES (2, 0)")).toThrow();
    expect(() => db.run("UPDATE sync_state SET cursor = -1")).toThrow();
  });

  test("a matter's person tokens go with the matter", () => {
    const db = setup();
    db.run("INSERT INTO matters VALUES ('M-1', x'01', '2026-01-01T00:00:00Z')");
    db.run("INSERT INTO matter_persons VALUES ('M-1', 'tok-a'), ('M-1', 'tok-b')");
    expect(() => db.run("INSERT INTO matter_persons VALUES ('M-1', 'tok-a')")).toThrow();
    expect(() => db.run("INSERT INTO matter_persons VALUES ('M-404', 'tok-a')")).toThrow();
    db.run("DELETE FROM matters WHERE matter_id = 'M-1'");
    expect(db.query("SELECT count(*) AS n FROM matter_persons").get()).toEqual({ n: 0 });
  });

  test("a blocklisted token is stored once", () => {
    const db = setup();
    db.run("INSERT INTO blocklist VALUES ('tok', 'lost')");
    expect(() => db.run("INSERT INTO blocklist VALUES ('tok', 'stolen')")).toThrow();
  });
});
