import { describe, expect, test } from "bun:test";
import { LatestFrameSlot } from "./latest-frame-slot.ts";

interface Item {
  readonly seq: number;
}

const item = (seq: number): Item => ({ seq });

/** What `promise` settled to once pending microtasks ran, or "pending". */
async function state(promise: Promise<unknown>): Promise<unknown> {
  let settled: unknown = "pending";
  promise.then(
    (value) => (settled = value),
    (error: unknown) => (settled = { rejected: error }),
  );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return settled;
}

describe("LatestFrameSlot", () => {
  test("holds only the newest value and counts the ones overwritten unread", () => {
    const slot = new LatestFrameSlot<Item>();
    expect(slot.latest()).toBeUndefined();
    for (let seq = 1; seq <= 100; seq++) slot.put(item(seq));
    expect(slot.latest()).toEqual(item(100));
    expect(slot.counters).toEqual({ put: 100, replaced: 99, waiting: 0 });
    slot.put(item(101)); // 100 was read: not counted as replaced
    expect(slot.counters.replaced).toBe(99);
  });

  test("next() resolves at once with a held value newer than `after`", async () => {
    const slot = new LatestFrameSlot<Item>();
    slot.put(item(1));
    slot.put(item(2));
    slot.put(item(3));
    expect(await slot.next(1)).toEqual(item(3));
    expect(await slot.next(0)).toEqual(item(3));
  });

  test("next() without `after` waits for a value not held yet", async () => {
    const slot = new LatestFrameSlot<Item>();
    slot.put(item(7));
    const waiting = slot.next();
    expect(await state(waiting)).toBe("pending");
    expect(slot.counters.waiting).toBe(1);
    slot.put(item(8));
    expect(await waiting).toEqual(item(8));
    expect(slot.counters.waiting).toBe(0);
  });

  test("next() on an empty slot resolves with the first value", async () => {
    const slot = new LatestFrameSlot<Item>();
    const waiting = slot.next();
    slot.put(item(1));
    expect(await waiting).toEqual(item(1));
  });

  test("a slow consumer gets the newest value, never a backlog", async () => {
    const slot = new LatestFrameSlot<Item>();
    const seen: number[] = [];
    let seq = 0;
    for (let round = 0; round < 5; round++) {
      // The producer runs ahead by 10 values while the consumer is busy.
      for (let i = 0; i < 10; i++) slot.put(item(++seq));
      const value = await slot.next(seen.at(-1) ?? 0);
      seen.push(value.seq);
    }
    expect(seen).toEqual([10, 20, 30, 40, 50]);
    expect(slot.counters.replaced).toBe(45);
  });

  test("an aborted wait rejects with the signal's reason and is removed", async () => {
    const slot = new LatestFrameSlot<Item>();
    const controller = new AbortController();
    const waiting = slot.next(undefined, controller.signal);
    controller.abort(new Error("gave up"));
    expect(await state(waiting)).toEqual({ rejected: new Error("gave up") });
    expect(slot.counters.waiting).toBe(0);
    const already = slot.next(undefined, AbortSignal.abort(new Error("too late")));
    expect(await state(already)).toEqual({ rejected: new Error("too late") });
  });

  test("close() rejects waiters and empty waits, but a newer held value is still returned", async () => {
    const slot = new LatestFrameSlot<Item>();
    slot.put(item(1));
    const waiting = slot.next(1);
    const reason = new Error("stopped");
    slot.close(reason);
    expect(slot.closed).toBe(true);
    expect(await state(waiting)).toEqual({ rejected: reason });
    expect(await state(slot.next(1))).toEqual({ rejected: reason });
    expect(await slot.next(0)).toEqual(item(1));
    expect(slot.latest()).toEqual(item(1));

    slot.open();
    const again = slot.next(1);
    slot.put(item(2));
    expect(await again).toEqual(item(2));
  });

  test("waiters with different `after` values wake only for newer values", async () => {
    const slot = new LatestFrameSlot<Item>();
    slot.put(item(5));
    const afterFive = slot.next(5);
    const afterSix = slot.next(6);
    slot.put(item(6));
    expect(await afterFive).toEqual(item(6));
    expect(await state(afterSix)).toBe("pending");
    slot.put(item(7));
    expect(await afterSix).toEqual(item(7));
  });
});
