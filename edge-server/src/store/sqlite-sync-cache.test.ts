import { afterEach, describe, expect, test } from "bun:test";
import { isKioskError, type Matter, type SyncPayload } from "@kiosk/contracts";
import { openTestStore, type TestStore } from "./testing/store-fixtures.ts";

let t: TestStore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

const person = { idNumber: "110101198001010053", name: "司马相如", role: "shareholder" } as const;

function matter(id: string, overrides: Partial<Matter> = {}): Matter {
  return {
    matterId: id,
    kind: "establishment",
    companyName: `公司 ${id}`,
    hallId: "hall-7",
    status: "open",
    persons: [person],
    updatedAt: "2026-03-01T07:00:00.000Z",
    ...overrides,
  };
}

function page(fromCursor: number, toCursor: number, parts: Partial<SyncPayload> = {}): SyncPayload {
  return {
    kioskId: "hall-7-k1",
    hallId: "hall-7",
    fromCursor,
    toCursor,
    complete: true,
    matters: [],
    blocklist: [],
    generatedAt: "2026-03-01T07:00:00.000Z",
    ...parts,
  };
}

describe("SqliteSyncCache", () => {
  test("keeps open matters of the hall, drops closed ones and other halls', and finds them by card number", async () => {
    t = await openTestStore();
    await t.cache.applyPage(page(0, 3, { matters: [matter("M-1"), matter("M-2", { hallId: "hall-8" }), matter("M-3")] }), 100);
    expect((await t.cache.pendingMatters(person.idNumber)).map((m) => m.matterId)).toEqual(["M-1", "M-3"]);
    expect(await t.cache.pendingMatters(person.idNumber.toLowerCase())).toHaveLength(2);
    await t.cache.applyPage(page(3, 4, { matters: [matter("M-1", { status: "closed" })] }), 200);
    expect((await t.cache.pendingMatters(person.idNumber)).map((m) => m.matterId)).toEqual(["M-3"]);
    expect(await t.cache.pendingMatters("110101198001010037")).toEqual([]);
    expect(t.cache.state()).toEqual({ cursor: 4, hallId: "hall-7", lastCompleteAtMs: 200 });
    expect(t.cache.counts()).toEqual({ openMatters: 1, blocklisted: 0 });
  });

  test("applies blocklist changes in order", async () => {
    t = await openTestStore();
    await t.cache.applyPage(
      page(0, 3, {
        blocklist: [
          { cardNumber: "440301199912120028", listed: true, reason: "lost" },
          { cardNumber: "440301199912120028", listed: true, reason: "stolen" },
          { cardNumber: "110101198001010053", listed: true },
        ],
      }),
      1,
    );
    expect(await t.cache.blocklistEntry("440301199912120028")).toEqual({ listed: true, reason: "stolen" });
    await t.cache.applyPage(page(3, 4, { blocklist: [{ cardNumber: "110101198001010053", listed: false }] }), 2);
    expect(await t.cache.blocklistEntry("110101198001010053")).toEqual({ listed: false, reason: null });
    expect(t.cache.counts().blocklisted).toBe(1);
  });

  test("refuses a page that does not start at its cursor, and an incomplete page keeps the last complete time", async () => {
    t = await openTestStore();
    await t.cache.applyPage(page(0, 2, { complete: false }), 50);
    expect(t.cache.state()).toEqual({ cursor: 2, hallId: "hall-7", lastCompleteAtMs: null });
    try {
      await t.cache.applyPage(page(0, 5, { matters: [matter("M-9")] }), 60);
      throw new Error("expected a failure");
    } catch (error) {
      expect(isKioskError(error, "store-failed")).toBe(true);
    }
    expect(t.cache.counts().openMatters).toBe(0);
    t.cache.reset();
    expect(t.cache.state()).toEqual({ cursor: 0, hallId: null, lastCompleteAtMs: null });
  });
});
