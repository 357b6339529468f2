import { describe, expect, test } from "bun:test";
import { msToNextTick, secondsLeftAt } from "./countdown.ts";

describe("secondsLeftAt", () => {
  test("counts whole seconds down from when the countdown arrived", () => {
    expect(secondsLeftAt(10, 5_000, 5_000)).toBe(10);
    expect(secondsLeftAt(10, 5_000, 5_999)).toBe(10);
    expect(secondsLeftAt(10, 5_000, 6_000)).toBe(9);
    expect(secondsLeftAt(10, 5_000, 12_500)).toBe(3);
  });

  test("stops at zero, and a clock behind the arrival time counts nothing", () => {
    expect(secondsLeftAt(3, 0, 60_000)).toBe(0);
    expect(secondsLeftAt(3, 10_000, 9_000)).toBe(3);
  });
});

describe("msToNextTick", () => {
  test("waits until the next whole second since arrival", () => {
    expect(msToNextTick(5_000, 5_000)).toBe(1_000);
    expect(msToNextTick(5_000, 5_250)).toBe(750);
    expect(msToNextTick(5_000, 6_999)).toBe(1);
  });
});
