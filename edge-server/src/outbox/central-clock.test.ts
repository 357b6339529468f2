import { describe, expect, test } from "bun:test";
import { FakeClock } from "@kiosk/contracts/testing";
import { CentralClock } from "./central-clock.ts";

describe("CentralClock", () => {
  test("reads the kiosk clock until corrected, then follows central's time as the kiosk clock runs", async () => {
    const clock = new FakeClock(Date.parse("1970-01-01T00:00:10.000Z"));
    const central = new CentralClock(clock);
    expect([central.now(), central.offsetMs]).toEqual([10_000, 0]);
    const centralNow = Date.parse("2026-11-23T08:00:00.000Z");
    expect(central.correct(centralNow)).toBe(centralNow - 10_000);
    await clock.advance(1_500);
    expect(central.now()).toBe(centralNow + 1_500);
    expect(central.correct(centralNow + 1_000)).toBe(-500);
    expect(central.offsetMs).toBe(centralNow - 10_500);
  });
});
