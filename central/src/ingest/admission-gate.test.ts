import { describe, expect, test } from "bun:test";
import { AdmissionGate } from "./admission-gate.ts";

describe("AdmissionGate", () => {
  test("admits up to its capacity, refuses beyond, and frees a slot once per release", () => {
    const gate = new AdmissionGate(2);
    const a = gate.tryEnter();
    const b = gate.tryEnter();
    expect(a && b).toBeDefined();
    expect(gate.tryEnter()).toBeUndefined();
    a!();
    a!();
    expect(gate.inUse).toBe(1);
    expect(gate.tryEnter()).toBeDefined();
    expect(gate.tryEnter()).toBeUndefined();
  });

  test("refuses a capacity that is not a positive integer", () => {
    expect(() => new AdmissionGate(0)).toThrow(RangeError);
    expect(() => new AdmissionGate(1.5)).toThrow(RangeError);
  });
});
