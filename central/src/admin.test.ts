import { afterEach, expect, test } from "bun:test";
import type { MatterInput } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { putBlocklist, putMatters } from "./admin.ts";
import { openDatabase } from "./store/database.ts";
import { MatterStore } from "./store/matter-store.ts";
import { loadCentralConfig } from "./config.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const matter = (matterId: string, companyName: string): MatterInput => ({
  matterId,
  kind: "establishment",
  companyName,
  hallId: "hall-a",
  status: "open",
  persons: [{ idNumber: "110101198001010037", name: "测试甲", role: "legal-representative" }],
});

test("putMatters writes matters once: writing them again changes nothing, a changed one gets a new change", async () => {
  dir = mkdtempSync(join(tmpdir(), "central-admin-"));
  const config = loadCentralConfig({}, { "database.sqlitePath": join(dir, "central.db"), "keys.receiptKeyPath": join(dir, "receipt.key") });
  const clock = new FakeClock(Date.parse("2026-12-01T08:00:00.000Z"));
  const first = await putMatters(config, [matter("M-1", "甲公司"), matter("M-2", "乙公司")], { clock });
  expect(first.map((w) => [w.matter.matterId, w.created, w.changed, w.changeId])).toEqual([
    ["M-1", true, true, 1],
    ["M-2", true, true, 2],
  ]);
  await clock.advance(86_400_000);
  const again = await putMatters(config, [matter("M-1", "甲公司"), matter("M-2", "乙公司")], { clock });
  expect(again.map((w) => [w.created, w.changed, w.changeId, w.matter.updatedAt])).toEqual([
    [false, false, 1, "2026-12-01T08:00:00.000Z"],
    [false, false, 2, "2026-12-01T08:00:00.000Z"],
  ]);
  const renamed = await putMatters(config, [matter("M-2", "乙科技公司")], { clock });
  expect(renamed.map((w) => [w.created, w.changed, w.changeId])).toEqual([[false, true, 3]]);
});

test("putMatters with restampOlderThanMs writes an unchanged matter again, dated now, once it is older than that", async () => {
  dir = mkdtempSync(join(tmpdir(), "central-admin-"));
  const config = loadCentralConfig({}, { "database.sqlitePath": join(dir, "central.db"), "keys.receiptKeyPath": join(dir, "receipt.key") });
  const clock = new FakeClock(Date.parse("2026-12-01T08:00:00.000Z"));
  const day = 86_400_000;
  await putMatters(config, [matter("M-1", "甲公司")], { clock, restampOlderThanMs: day });
  await clock.advance(day / 2);
  const young = await putMatters(config, [matter("M-1", "甲公司")], { clock, restampOlderThanMs: day });
  expect(young.map((w) => [w.changed, w.changeId])).toEqual([[false, 1]]);
  await clock.advance(day);
  const old = await putMatters(config, [matter("M-1", "甲公司")], { clock, restampOlderThanMs: day });
  expect(old.map((w) => [w.created, w.changed, w.changeId, w.matter.updatedAt])).toEqual([[false, true, 2, "2026-12-02T20:00:00.000Z"]]);
});

test("putBlocklist lists cards once, as the blocklist route does, and refuses a malformed card number", async () => {
  dir = mkdtempSync(join(tmpdir(), "central-admin-"));
  const config = loadCentralConfig({}, { "database.sqlitePath": join(dir, "central.db"), "keys.receiptKeyPath": join(dir, "receipt.key") });
  const clock = new FakeClock(Date.parse("2026-12-01T08:00:00.000Z"));
  const entries = [{ cardNumber: "440106198807090265", reason: "lost" }] as const;
  expect(await putBlocklist(config, entries, { clock })).toEqual([{ changed: true, changeId: 1 }]);
  expect(await putBlocklist(config, entries, { clock })).toEqual([{ changed: false, changeId: 1 }]);
  const db = await openDatabase({ url: config.database.url, sqlitePath: config.database.sqlitePath, maxConnections: 1 });
  try {
    const page = await new MatterStore(db).changesAfter("hall-a", 0, 10);
    expect(page.blocklist).toEqual([{ cardNumber: "440106198807090265", listed: true, reason: "lost" }]);
  } finally {
    await db.close();
  }
  await expect(putBlocklist(config, [{ cardNumber: "not a card", reason: "lost" }], { clock })).rejects.toThrow();
});
