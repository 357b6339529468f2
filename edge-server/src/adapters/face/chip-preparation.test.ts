import { describe, expect, test } from "bun:test";
import { prepareChip } from "./chip-preparation.ts";

const PHOTO = { width: 102, height: 126, data: new Uint8Array(102 * 126 * 3).fill(77) };
const OPTIONS = { attempts: ["as-is"] as const, padFraction: 0.25, upscale: 2 };

describe("prepareChip", () => {
  test("as-is returns the photo and the identity map", () => {
    const prepared = prepareChip(PHOTO, "as-is", OPTIONS);
    expect(prepared.image).toBe(PHOTO);
    expect(prepared.toPhoto({ x: 10, y: 20 })).toEqual({ x: 10, y: 20 });
  });

  test("padded adds a border of padFraction × the longer side and maps points back", () => {
    const prepared = prepareChip(PHOTO, "padded", OPTIONS);
    // round(0.25 · 126) = 32 on each side
    expect(prepared.image.width).toBe(102 + 64);
    expect(prepared.image.height).toBe(126 + 64);
    expect(prepared.toPhoto({ x: 32, y: 40 })).toEqual({ x: 0, y: 8 });
  });

  test("padded-upscaled pads, then doubles, and the map undoes both", () => {
    const prepared = prepareChip(PHOTO, "padded-upscaled", OPTIONS);
    expect(prepared.image.width).toBe((102 + 64) * 2);
    const p = prepared.toPhoto({ x: (32 + 10 + 0.5) * 2 - 0.5, y: (32 + 0.5) * 2 - 0.5 });
    expect(p.x).toBeCloseTo(10, 10);
    expect(p.y).toBeCloseTo(0, 10);
  });
});
