import { describe, expect, test } from "bun:test";
import { wholeNumber } from "./flags.ts";

describe("wholeNumber", () => {
  test("an absent flag is undefined, a whole number at or above the minimum is returned", () => {
    expect(wholeNumber(undefined, "--runs")).toBeUndefined();
    expect(wholeNumber("12", "--runs")).toBe(12);
    expect(wholeNumber("0", "--seed", 0)).toBe(0);
  });

  test("anything else is a RangeError naming the flag, the value and the minimum", () => {
    for (const value of ["0", "-3", "1.5", "abc", "", " "]) {
      expect(() => wholeNumber(value, "--runs")).toThrow(`Invalid --runs "${value}": expected a whole number of at least 1`);
    }
  });
});
