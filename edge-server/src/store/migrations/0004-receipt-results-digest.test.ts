import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { openDatabase } from "../db.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-identity.ts";
import { migration0002 } from "./0002-records-outbox.ts";
import { migration0003 } from "./0003-sync-cache.ts";
import { migration0004 } from "./0004-receipt-results-digest.ts";

const INSERT = `INSERT INTO receipts (kiosk_id, epoch, ack_through, batch_digest, received_at, key_id, signature, stored_at_ms, results_digest)
  VALUES ('k', 1, 1, 'd', '2026-01-01T00:00:00Z', 'key', 'sig', 0, ?)`;

describe("migration 0004 receipt-results-digest", () => {
  test("keeps old receipts (digest NULL) and stores a 64-hex digest for new ones", () => {
    const db = openDatabase(":memory:");
    migrate(db, [migration0001, migration0002, migration0003], silentLogger, 1);
    db.run(`INSERT INTO receipts (kiosk_id, epoch, ack_through, batch_digest, received_at, key_id, signature, stored_at_ms)
      VALUES ('k', 1, 1, 'd', '2026-01-01T00:00:00Z', 'key', 'sig', 0)`);
    migrate(db, [migration0001, migration0002, migration0003, migration0004], silentLogger, 1);
    expect(db.query("SELECT results_digest FROM receipts").all()).toEqual([{ results_digest: null }]);
    db.run(INSERT, ["a".repeat(64)]);
    expect(() => db.run(INSERT, ["abc"])).toThrow();
  });
});
