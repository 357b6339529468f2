import { describe, expect, test } from "bun:test";
import { describeStatus, isKnownSw3, SW3_STATUS } from "./status.ts";

describe("describeStatus", () => {
  test("maps every SW3 code of spec §4", () => {
    const wire = [0x90, 0x91, 0x9f, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81];
    const hostDllOnly = [0x01, 0x02, 0x03, 0x05];
    for (const code of wire) expect({ code, known: isKnownSw3(code), onWire: describeStatus(code).onWire }).toEqual({ code, known: true, onWire: true });
    for (const code of hostDllOnly) expect(describeStatus(code).onWire).toBe(false);
    expect(Object.keys(SW3_STATUS).length).toBe(wire.length + hostDllOnly.length);
  });

  test("gives category, meaning and retryability", () => {
    expect(describeStatus(0x90)).toMatchObject({ code: 0x90, name: "ok", category: "ok", known: true });
    expect(describeStatus(0x9f)).toMatchObject({ category: "card-found" });
    expect(describeStatus(0x91)).toMatchObject({ category: "no-content", retryable: false });
    expect(describeStatus(0x80)).toMatchObject({ name: "find-failed", category: "no-card", retryable: true });
    expect(describeStatus(0x41)).toMatchObject({ category: "card-error", retryable: true });
    expect(describeStatus(0x40)).toMatchObject({ category: "card-error", retryable: false });
    expect(describeStatus(0x60)).toMatchObject({ category: "sam-error", retryable: false, meaning: expect.stringContaining("self-test") });
    expect(describeStatus(0x66)).toMatchObject({ category: "sam-error", retryable: false });
    expect(describeStatus(0x10)).toMatchObject({ category: "host-error", retryable: true });
    expect(describeStatus(0x21)).toMatchObject({ category: "host-error", retryable: false });
  });

  test("handles unknown codes without throwing", () => {
    expect(describeStatus(0x4f)).toEqual({
      code: 0x4f,
      known: false,
      name: "unknown-0x4f",
      meaning: "Unknown status 0x4F",
      category: "unknown",
      retryable: false,
      onWire: true,
    });
    expect(isKnownSw3(0x00)).toBe(false);
  });
});
