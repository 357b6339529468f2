import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { openDatabase } from "../db.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-identity.ts";
import { migration0002 } from "./0002-records-outbox.ts";
import { migration0003 } from "./0003-sync-cache.ts";
import { migration0004 } from "./0004-receipt-results-digest.ts";
import { migration0005 } from "./0005-record-wire-bytes.ts";

const H = (c: string) => c.repeat(64);

function insert(db: ReturnType<typeof openDatabase>, seq: number, wireBytes?: number): void {
  const columns = wireBytes === undefined ? "" : ", wire_bytes";
  const values = wireBytes === undefined ? [] : [wireBytes];
  db.run(
    `INSERT INTO records (kiosk_id, epoch, seq, event_id, kind, schema_version, created_at, boot_id, body_sha256, prev_hash,
       record_hash, key_id, signature, body_sealed, body_bytes, saved_at_ms${columns})
     VALUES ('k-1', 1, ?, ?, 'verification-result', 1, 'c', 'b', '${H("a")}', '${H("0")}', ?, 'key', 'sig', x'01', 1, 0${values.length ? ", ?" : ""})`,
    [seq, crypto.randomUUID(), H(String(seq)), ...values],
  );
}

describe("migration 0005 record-wire-bytes", () => {
  test("keeps old records (size NULL) and stores a positive size for new ones", () => {
    const db = openDatabase(":memory:");
    migrate(db, [migration0001, migration0002, migration0003, migration0004], silentLogger, 1);
    insert(db, 1);
    migrate(db, [migration0001, migration0002, migration0003, migration0004, migration0005], silentLogger, 1);
    expect(db.query("SELECT seq, wire_bytes FROM records").all()).toEqual([{ seq: 1, wire_bytes: null }]);
    insert(db, 2, 700);
    expect(db.query("SELECT wire_bytes FROM records WHERE seq = 2").get()).toEqual({ wire_bytes: 700 });
    expect(() => insert(db, 3, 0)).toThrow();
  });
});
