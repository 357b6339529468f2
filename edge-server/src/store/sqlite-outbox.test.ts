import { afterEach, describe, expect, test } from "bun:test";
import { fromBase64Url, generateSigner, importVerifyKey, MAX_BATCH_BYTES, receiptSigningInput, signBase64Url, verifySignature } from "@kiosk/contracts";
import { upstreamRecordBytes } from "../domain/record-chain.ts";
import { encodeBatch } from "../outbox/encode-batch.ts";
import { SqliteOutbox } from "./sqlite-outbox.ts";
import { countingSealer, fakeReceipt, KIOSK_ID, openTestStore, sampleResult, type TestStore } from "./testing/store-fixtures.ts";

// Bodies of mixed sizes whose JSON escapes grow them (quotes, backslashes, control characters) or not (CJK).
async function saveMixed(t: TestStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const text = ['"', "\\", "\u0001", "证"][i % 4]!.repeat(200 + 150 * (i % 5));
    await t.store.appendRecord({ eventId: crypto.randomUUID(), kind: "test-note", schemaVersion: 1, body: JSON.stringify({ i, text }) });
  }
}

let t: TestStore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

describe("SqliteOutbox", () => {
  test("hands out the oldest pending records of one epoch, as signed", async () => {
    t = await openTestStore();
    for (let i = 0; i < 3; i++) await t.store.saveResult(sampleResult());
    await t.store.beginEpoch();
    await t.store.saveResult(sampleResult());
    const batch = (await t.outbox.nextBatch(500, MAX_BATCH_BYTES))!;
    expect(batch).toMatchObject({ kioskId: KIOSK_ID, epoch: 1, unreadable: [] });
    expect(batch.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    const stored = (await t.store.readRecord(1, 2))!;
    expect(batch.records[1]).toMatchObject({ body: stored.body, signature: stored.signature, prevHash: stored.header.prevHash });
    expect((await t.outbox.nextBatch(2, MAX_BATCH_BYTES))!.records.map((r) => r.seq)).toEqual([1, 2]);
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1, 2, 3], quarantined: [], receipt: fakeReceipt(1, 3), atMs: 5 });
    expect(await t.outbox.nextBatch(500, MAX_BATCH_BYTES)).toMatchObject({ epoch: 2, records: [{ seq: 1 }] });
  });

  test("reads the records queued after a given one, and names the head of the queue without opening bodies", async () => {
    t = await openTestStore();
    for (let i = 0; i < 5; i++) await t.store.saveResult(sampleResult());
    await t.store.beginEpoch();
    await t.store.saveResult(sampleResult());
    expect((await t.outbox.nextBatch(2, MAX_BATCH_BYTES, { kioskId: KIOSK_ID, epoch: 1, seq: 2 }))!.records.map((r) => r.seq)).toEqual([3, 4]);
    expect(await t.outbox.nextBatch(500, MAX_BATCH_BYTES, { kioskId: KIOSK_ID, epoch: 1, seq: 5 })).toMatchObject({ epoch: 2, records: [{ seq: 1 }] });
    expect(await t.outbox.nextBatch(500, MAX_BATCH_BYTES, { kioskId: KIOSK_ID, epoch: 2, seq: 1 })).toBeUndefined();
    expect(t.outbox.pendingHead(3)).toEqual({ kioskId: KIOSK_ID, epoch: 1, seqs: [1, 2, 3] });
    expect(t.outbox.pendingHead(500)).toEqual({ kioskId: KIOSK_ID, epoch: 1, seqs: [1, 2, 3, 4, 5] });
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1, 2, 3, 4, 5], quarantined: [], receipt: fakeReceipt(1, 5), atMs: 5 });
    expect(t.outbox.pendingHead(500)).toEqual({ kioskId: KIOSK_ID, epoch: 2, seqs: [1] });
  });

  test("acknowledges exactly the seqs named, in runs, leaving the others pending", async () => {
    t = await openTestStore();
    for (let i = 0; i < 8; i++) await t.store.saveResult(sampleResult());
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [7, 1, 2, 4, 2], quarantined: [], receipt: fakeReceipt(1, 7), atMs: 9 });
    const states = await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(async (seq) => (await t!.store.readRecord(1, seq))?.state));
    expect(states).toEqual(["acked", "acked", "pending", "acked", "pending", "pending", "acked", "pending"]);
    expect(t.outbox.pendingHead(500)?.seqs).toEqual([3, 5, 6, 8]);
  });

  test("a record's kept size is its JSON in a batch", async () => {
    t = await openTestStore();
    await saveMixed(t, 8);
    const batch = (await t.outbox.nextBatch(500, MAX_BATCH_BYTES))!;
    const kept = t.db.query<{ wire_bytes: number }, []>("SELECT wire_bytes FROM records ORDER BY seq").all().map((r) => r.wire_bytes);
    expect(kept).toEqual(batch.records.map((r) => upstreamRecordBytes(r)));
  });

  test("assembles a batch up to the byte budget from the rows, opening only the bodies it returns", async () => {
    t = await openTestStore();
    await saveMixed(t, 12);
    const sealer = countingSealer(t.sealer);
    const outbox = new SqliteOutbox(t.db, sealer, t.log);
    const all = (await outbox.nextBatch(500, MAX_BATCH_BYTES))!;
    const sizes = all.records.map((r) => upstreamRecordBytes(r));
    const exactly = (count: number) => new TextEncoder().encode(JSON.stringify({ kioskId: KIOSK_ID, epoch: 1, records: all.records.slice(0, count) })).length;
    for (const legacy of [false, true]) {
      // Rows saved before sizes were kept are counted at an upper bound: batches may be smaller, never larger.
      if (legacy) t.db.run("UPDATE records SET wire_bytes = NULL WHERE seq % 2 = 0");
      for (let fits = 1; fits <= all.records.length; fits++) {
        const budget = exactly(fits) + (fits < sizes.length ? sizes[fits]! : 0);
        sealer.opened = 0;
        const batch = (await outbox.nextBatch(500, budget))!;
        const sent = encodeBatch(batch, budget);
        expect({ legacy, fits, opened: sealer.opened }).toEqual({ legacy, fits, opened: batch.records.length });
        expect(sent.records).toHaveLength(batch.records.length);
        expect(sent.bytes.length).toBeLessThanOrEqual(budget);
        if (!legacy) expect(batch.records).toHaveLength(fits);
      }
    }
    sealer.opened = 0;
    expect((await outbox.nextBatch(500, 10))!.records).toHaveLength(1);
    expect(sealer.opened).toBe(1);
  });

  test("a body that does not decrypt goes out empty and is listed as unreadable", async () => {
    t = await openTestStore();
    await t.store.saveResult(sampleResult());
    await t.store.saveResult(sampleResult());
    t.db.run("UPDATE records SET body_sealed = (SELECT body_sealed FROM records WHERE seq = 2) WHERE seq = 1");
    const batch = (await t.outbox.nextBatch(500, MAX_BATCH_BYTES))!;
    expect(batch.unreadable).toEqual([1]);
    expect(batch.records[0]?.body).toBe("");
    expect(batch.records[1]?.body).not.toBe("");
  });

  test("settles in one transaction, keeps the receipt, and counts for health", async () => {
    t = await openTestStore();
    for (let i = 0; i < 4; i++) await t.store.saveResult(sampleResult());
    expect(t.outbox.stats()).toEqual({ backlog: 4, oldestPendingAtMs: t.clock.now(), quarantined: 0, lastAckAtMs: null });
    expect(() =>
      t!.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1], quarantined: [], receipt: null, atMs: 1 }),
    ).toThrow("receipt");
    expect(t.outbox.stats().backlog).toBe(4);
    t.outbox.settle({
      kioskId: KIOSK_ID,
      epoch: 1,
      acked: [1, 2],
      quarantined: [{ seq: 3, reason: "bad-schema", message: "unknown field" }],
      receipt: fakeReceipt(1, 3),
      atMs: 1234,
    });
    expect(t.outbox.stats()).toEqual({ backlog: 1, oldestPendingAtMs: t.clock.now(), quarantined: 1, lastAckAtMs: 1234 });
    expect((await t.store.readRecord(1, 3))?.rejectReason).toBe("bad-schema");
    // Settling again never moves a settled row.
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [3], quarantined: [], receipt: fakeReceipt(1, 3), atMs: 2000 });
    expect((await t.store.readRecord(1, 3))?.state).toBe("quarantined");
    expect(t.outbox.lastSeq(KIOSK_ID, 1)).toBe(4);
    expect(t.outbox.lastSeq(KIOSK_ID, 7)).toBe(0);
    expect(t.outbox.requeueQuarantined()).toBe(1);
    expect(t.outbox.stats()).toMatchObject({ backlog: 2, quarantined: 0 });
  });

  test("a stored receipt keeps every signed field, so it still verifies with central's key later", async () => {
    t = await openTestStore();
    await t.store.saveResult(sampleResult());
    const central = await generateSigner();
    const { signature: _fake, ...fields } = { ...fakeReceipt(1, 1), keyId: central.keyId };
    const receipt = { ...fields, signature: await signBase64Url(central, receiptSigningInput(fields)) };
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1], quarantined: [], receipt, atMs: 7 });
    const row = t.db
      .query<Record<string, string | number>, []>(
        "SELECT kiosk_id, epoch, ack_through, batch_digest, results_digest, received_at, key_id, signature FROM receipts",
      )
      .get()!;
    const stored = {
      kioskId: String(row.kiosk_id),
      epoch: Number(row.epoch),
      ackThrough: Number(row.ack_through),
      batchDigest: String(row.batch_digest),
      resultsDigest: String(row.results_digest),
      receivedAt: String(row.received_at),
      keyId: String(row.key_id),
    };
    expect(stored).toEqual(fields);
    const key = await importVerifyKey(central.publicKey);
    expect(await verifySignature(key, fromBase64Url(String(row.signature)), receiptSigningInput(stored))).toBe(true);
  });
});
