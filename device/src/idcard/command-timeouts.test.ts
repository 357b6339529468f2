import { describe, expect, test } from "bun:test";
import { commandTimeouts, DEFAULT_COMMAND_TIMEOUTS_MS } from "./command-timeouts.ts";
import { COMMANDS } from "./protocol/constants.ts";

describe("the reply timeout table", () => {
  test("uses the spec's recommended values (spec §3.1)", () => {
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.findCard).toBe(500);
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.selectCard).toBe(500);
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.readBase).toBe(3000);
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.readBaseWithFingerprint).toBe(4000);
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.readAppendedAddress).toBe(1500);
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.samStatus).toBeLessThanOrEqual(500);
    expect(DEFAULT_COMMAND_TIMEOUTS_MS.readSamId).toBeLessThanOrEqual(500);
  });

  test("covers every command", () => {
    expect(Object.keys(DEFAULT_COMMAND_TIMEOUTS_MS).sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  test("overrides replace single entries and the result is frozen", () => {
    const table = commandTimeouts({ readBase: 5000 });
    expect(table.readBase).toBe(5000);
    expect(table.findCard).toBe(500);
    expect(Object.isFrozen(table)).toBe(true);
  });

  test("rejects unknown commands and non-positive timeouts", () => {
    expect(() => commandTimeouts({ findCard: 0 })).toThrow(/Invalid timeout "0" for command "findCard"/);
    expect(() => commandTimeouts({ findCard: Number.NaN })).toThrow(RangeError);
    expect(() => commandTimeouts({ nope: 5 } as never)).toThrow(/Unknown command "nope"/);
  });
});
