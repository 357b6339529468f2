import { afterEach, describe, expect, test } from "bun:test";
import type { DiskUsage } from "./disk-budget.ts";
import { StoreMaintenance } from "./store-maintenance.ts";
import { fakeReceipt, KIOSK_ID, openTestStore, sampleResult, type TestStore } from "./testing/store-fixtures.ts";

let t: TestStore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

const DAY = 86_400_000;

describe("StoreMaintenance", () => {
  test("purges acknowledged personal data once its retention has passed, on its own schedule", async () => {
    t = await openTestStore();
    await t.store.saveResult(sampleResult());
    await t.store.saveResult(sampleResult());
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1], quarantined: [], receipt: fakeReceipt(1, 1), atMs: t.clock.now() });
    const maintenance = new StoreMaintenance({ store: t.store, disk: t.disk, clock: t.clock, log: t.log, intervalMs: 3_600_000, retentionMs: 30 * DAY, purgeAckedWhenFull: true });
    await maintenance.start();
    await t.clock.advance(29 * DAY);
    expect((await t.store.readRecord(1, 1))?.body).not.toBeNull();
    await t.clock.advance(1 * DAY + 3_600_000);
    expect((await t.store.readRecord(1, 1))?.body).toBeNull();
    expect((await t.store.readRecord(1, 2))?.body).not.toBeNull();
    await maintenance.stop();
    expect(t.clock.pendingCount).toBe(0);
  });

  test("at the hard watermark it purges acknowledged data early, never unacknowledged data, and re-measures", async () => {
    // The next `hardReadings` measurements read above the hard watermark, later ones well below it.
    let hardReadings = 0;
    const probe = { measure: (): DiskUsage => (hardReadings-- > 0 ? { usedBytes: 950, freeBytes: 1 << 30 } : { usedBytes: 100, freeBytes: 1 << 30 }) };
    t = await openTestStore({ probe, limits: { budgetBytes: 1000, softWatermark: 0.7, hardWatermark: 0.9, minFreeBytes: 0 } });
    await t.store.saveResult(sampleResult());
    await t.store.saveResult(sampleResult());
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1], quarantined: [], receipt: fakeReceipt(1, 1), atMs: t.clock.now() });
    hardReadings = 1;
    const maintenance = new StoreMaintenance({ store: t.store, disk: t.disk, clock: t.clock, log: t.log, intervalMs: 60_000, retentionMs: 30 * DAY, purgeAckedWhenFull: true });
    const status = maintenance.runOnce();
    expect(status.acceptingResults).toBe(true);
    expect((await t.store.readRecord(1, 1))?.body).toBeNull();
    expect((await t.store.readRecord(1, 2))?.body).not.toBeNull();
    expect(t.records.some((r) => r.msg.includes("before their retention ended"))).toBe(true);
  });
});
