import { describe, expect, test } from "bun:test";
import { sleep } from "./clock.ts";
import { FakeClock } from "./testing/fake-clock.ts";

describe("sleep", () => {
  test("resolves when the clock reaches the delay", async () => {
    const clock = new FakeClock(0);
    let done = false;
    const p = sleep(clock, 100).then(() => (done = true));
    await clock.advance(99);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);
  });

  test("rejects with the abort reason and cancels its timer", async () => {
    const clock = new FakeClock(0);
    const controller = new AbortController();
    const p = sleep(clock, 100, controller.signal);
    controller.abort(new Error("stopped"));
    await expect(p).rejects.toThrow("stopped");
    expect(clock.pendingCount).toBe(0);
  });
});

describe("FakeClock", () => {
  test("runs due callbacks in time order, including ones scheduled while advancing", async () => {
    const clock = new FakeClock(1000);
    const calls: string[] = [];
    clock.setTimeout(() => calls.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => {
      calls.push(`a@${clock.now()}`);
      clock.setTimeout(() => calls.push(`c@${clock.now()}`), 5);
    }, 10);
    const cancelled = clock.setTimeout(() => calls.push("never"), 15);
    clock.clearTimeout(cancelled);
    await clock.advance(30);
    expect(calls).toEqual(["a@1010", "c@1015", "b@1020"]);
    expect(clock.now()).toBe(1030);
  });
});
