import { describe, expect, test } from "bun:test";
import { createPrng, seededRandom } from "./seeded-random.ts";

describe("seededRandom", () => {
  test("the same seed gives the same numbers, another seed others, all in [0, 1)", () => {
    const a = Array.from({ length: 1000 }, seededRandom(42));
    expect(Array.from({ length: 1000 }, seededRandom(42))).toEqual(a);
    expect(Array.from({ length: 1000 }, seededRandom(43))).not.toEqual(a);
    for (const x of a) expect(x >= 0 && x < 1).toBe(true);
    // Roughly uniform: each tenth of the range holds about a tenth of the draws.
    const tenths = new Array(10).fill(0);
    for (const x of a) tenths[Math.floor(x * 10)]++;
    for (const n of tenths) expect(n).toBeGreaterThan(60);
  });

  test("gives the published mulberry32 outputs for seed 1", () => {
    const next = seededRandom(1);
    expect([next(), next()].map((x) => Math.round(x * 4294967296))).toEqual([2693262067, 11749833]);
  });
});

describe("createPrng", () => {
  const prng = createPrng(7);

  test("int stays within its bounds and reaches both", () => {
    const seen = new Set(Array.from({ length: 500 }, () => prng.int(3, 6)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  test("pick returns members and refuses an empty list; bytes has the asked length", () => {
    expect(["a", "b"]).toContain(prng.pick(["a", "b"]));
    expect(() => prng.pick([])).toThrow(RangeError);
    expect(prng.bytes(17).length).toBe(17);
  });

  test("chance follows its probability", () => {
    expect(Array.from({ length: 100 }, () => prng.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => prng.chance(1)).every(Boolean)).toBe(true);
  });
});
