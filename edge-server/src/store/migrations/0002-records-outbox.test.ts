import { describe, expect, test } from "bun:test";
import { silentLogger } from "@kiosk/contracts";
import { openDatabase } from "../db.ts";
import { migrate } from "../migrate.ts";
import { migration0001 } from "./0001-kiosk-identity.ts";
import { migration0002 } from "./0002-records-outbox.ts";

const H = (c: string) => c.repeat(64);

function setup() {
  const db = openDatabase(":memory:");
  migrate(db, [migration0001, migration0002], silentLogger, 1);
  const insert = (seq: number, epoch = 1) =>
    db
      .query<{ id: number }, [number, number, string, string]>(
        `INSERT INTO records (kiosk_id, epoch, seq, event_id, kind, schema_version, created_at, boot_id, body_sha256, prev_hash,
           record_hash, key_id, signature, body_sealed, body_bytes, saved_at_ms)
         VALUES ('k-1', ?, ?, ?, 'verification-result', 1, 'c', 'b', '${H("a")}', '${H("0")}', ?, 'key', 'sig', x'01', 1, 0) RETURNING id`,
      )
      .get(epoch, seq, crypto.randomUUID(), H(String((seq + epoch * 3) % 10)))!.id;
  return { db, insert };
}

describe("migration 0002 records-outbox", () => {
  test("a (kiosk, epoch, seq) exists once; another epoch may reuse the seq", () => {
    const { db, insert } = setup();
    insert(1);
    expect(() => insert(1)).toThrow();
    insert(1, 2);
    expect(db.query("SELECT count(*) AS n FROM records").get()).toEqual({ n: 2 });
  });

  test("record ids use AUTOINCREMENT, so they are never reused after deletes", () => {
    const { db, insert } = setup();
    const first = insert(1);
    db.query("DELETE FROM records WHERE id = ?").run(first);
    expect(insert(2)).toBe(first + 1);
  });

  test("an unacknowledged outbox row cannot be deleted, nor its record's body purged", () => {
    const { db, insert } = setup();
    const id = insert(1);
    db.query("INSERT INTO outbox (record_id, state, enqueued_at_ms) VALUES (?, 'pending', 0)").run(id);
    expect(() => db.query("DELETE FROM outbox WHERE record_id = ?").run(id)).toThrow("cannot be deleted");
    expect(() => db.query("UPDATE records SET body_sealed = NULL, purged_at_ms = 1 WHERE id = ?").run(id)).toThrow("cannot be purged");
    expect(() => db.query("DELETE FROM records WHERE id = ?").run(id)).toThrow();
    db.query("UPDATE outbox SET state = 'quarantined', settled_at_ms = 1 WHERE record_id = ?").run(id);
    expect(() => db.query("UPDATE records SET body_sealed = NULL, purged_at_ms = 1 WHERE id = ?").run(id)).toThrow("cannot be purged");
  });

  test("an acknowledged row needs a receipt; then its body can be purged and the header stays", () => {
    const { db, insert } = setup();
    const id = insert(1);
    db.query("INSERT INTO outbox (record_id, state, enqueued_at_ms) VALUES (?, 'pending', 0)").run(id);
    expect(() => db.query("UPDATE outbox SET state = 'acked', settled_at_ms = 1 WHERE record_id = ?").run(id)).toThrow();
    const receipt = db
      .query<{ id: number }, []>(`INSERT INTO receipts (kiosk_id, epoch, ack_through, batch_digest, received_at, key_id, signature, stored_at_ms)
        VALUES ('k-1', 1, 1, '${H("d")}', 't', 'c', 's', 1) RETURNING id`)
      .get()!.id;
    db.query("UPDATE outbox SET state = 'acked', settled_at_ms = 1, receipt_id = ? WHERE record_id = ?").run(receipt, id);
    db.query("UPDATE records SET body_sealed = NULL, purged_at_ms = 2 WHERE id = ?").run(id);
    expect(db.query("SELECT seq, body_sealed FROM records WHERE id = ?").get(id)).toEqual({ seq: 1, body_sealed: null });
    // Body and purge mark go together.
    expect(() => db.query("UPDATE records SET purged_at_ms = NULL WHERE id = ?").run(id)).toThrow();
  });

  test("a signed header cannot be edited", () => {
    const { db, insert } = setup();
    const id = insert(1);
    expect(() => db.query("UPDATE records SET created_at = 'other' WHERE id = ?").run(id)).toThrow("cannot change");
    expect(() => db.query("UPDATE records SET seq = 9 WHERE id = ?").run(id)).toThrow("cannot change");
  });

  test("outbox states are limited and a pending row has no settle time", () => {
    const { db, insert } = setup();
    const id = insert(1);
    expect(() => db.query("INSERT INTO outbox (record_id, state, enqueued_at_ms) VALUES (?, 'lost', 0)").run(id)).toThrow();
    expect(() => db.query("INSERT INTO outbox (record_id, state, enqueued_at_ms, settled_at_ms) VALUES (?, 'pending', 0, 5)").run(id)).toThrow();
    expect(() => db.query("INSERT INTO outbox (record_id, state, enqueued_at_ms) VALUES (999, 'pending', 0)").run()).toThrow();
  });
});
