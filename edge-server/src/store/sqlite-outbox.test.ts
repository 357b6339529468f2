import { afterEach, describe, expect, test } from "bun:test";
import { fakeReceipt, KIOSK_ID, openTestStore, sampleResult, type TestStore } from "./testing/store-fixtures.ts";

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
    const batch = (await t.outbox.nextBatch(500))!;
    expect(batch).toMatchObject({ kioskId: KIOSK_ID, epoch: 1, unreadable: [] });
    expect(batch.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    const stored = (await t.store.readRecord(1, 2))!;
    expect(batch.records[1]).toMatchObject({ body: stored.body, signature: stored.signature, prevHash: stored.header.prevHash });
    expect((await t.outbox.nextBatch(2))!.records.map((r) => r.seq)).toEqual([1, 2]);
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1, 2, 3], quarantined: [], receipt: fakeReceipt(1, 3), atMs: 5 });
    expect(await t.outbox.nextBatch(500)).toMatchObject({ epoch: 2, records: [{ seq: 1 }] });
  });

  test("a body that does not decrypt goes out empty and is listed as unreadable", async () => {
    t = await openTestStore();
    await t.store.saveResult(sampleResult());
    await t.store.saveResult(sampleResult());
    t.db.run("UPDATE records SET body_sealed = (SELECT body_sealed FROM records WHERE seq = 2) WHERE seq = 1");
    const batch = (await t.outbox.nextBatch(500))!;
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
});
