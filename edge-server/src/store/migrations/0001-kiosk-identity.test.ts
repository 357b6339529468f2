import { describe, expect, test } from "bun:test";
import { GENESIS_HASH, silentLogger } from "@kiosk/contracts";
import { openDatabase } from "../db.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-identity.ts";

function setup() {
  const db = openDatabase(":memory:");
  migrate(db, [migration0001], silentLogger, 1);
  db.query("INSERT INTO kiosk_identity VALUES (1, 'k-1', 1, 1, ?, 0, 0)").run(GENESIS_HASH);
  return db;
}

describe("migration 0001 kiosk-identity", () => {
  test("holds exactly one identity row", () => {
    const db = setup();
    expect(() => db.query("INSERT INTO kiosk_identity VALUES (2, 'k-2', 1, 1, ?, 0, 0)").run(GENESIS_HASH)).toThrow();
    expect(() => db.query("INSERT INTO kiosk_identity VALUES (1, 'k-2', 1, 1, ?, 0, 0)").run(GENESIS_HASH)).toThrow();
    expect(() => db.run("DELETE FROM kiosk_identity")).toThrow("cannot be deleted");
    expect(db.query("SELECT count(*) AS n FROM kiosk_identity").get()).toEqual({ n: 1 });
  });

  test("the sequence and the epoch only move forward", () => {
    const db = setup();
    db.run("UPDATE kiosk_identity SET next_seq = 5");
    expect(() => db.run("UPDATE kiosk_identity SET next_seq = 4")).toThrow("only move forward");
    db.run("UPDATE kiosk_identity SET epoch = 2, next_seq = 1");
    expect(() => db.run("UPDATE kiosk_identity SET epoch = 1")).toThrow("only move forward");
    expect(db.query("SELECT epoch, next_seq FROM kiosk_identity").get()).toEqual({ epoch: 2, next_seq: 1 });
  });

  test("is STRICT and checks the chain head's length", () => {
    const db = setup();
    expect(() => db.run("UPDATE kiosk_identity SET next_seq = 'seven'")).toThrow();
    expect(() => db.run("UPDATE kiosk_identity SET chain_head = 'abc'")).toThrow();
  });
});
