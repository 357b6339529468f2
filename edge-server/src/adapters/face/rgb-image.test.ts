import { describe, expect, test } from "bun:test";
import { assertRgbImage, downscaleBox, gaussianBlur, mirror, padReplicate, resizeBilinear } from "./rgb-image.ts";

// 2x2: red, green / blue, white
const TINY = { width: 2, height: 2, data: Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255]) };

describe("assertRgbImage", () => {
  test("accepts a consistent image and refuses wrong sizes", () => {
    expect(() => assertRgbImage(TINY)).not.toThrow();
    expect(() => assertRgbImage({ width: 2, height: 2, data: new Uint8Array(11) })).toThrow("expected 12 bytes for 2x2, got 11");
    expect(() => assertRgbImage({ width: 0, height: 2, data: new Uint8Array(0) })).toThrow(RangeError);
    expect(() => assertRgbImage({ width: 1.5, height: 2, data: new Uint8Array(9) })).toThrow(RangeError);
  });
});

describe("resizeBilinear", () => {
  test("doubling keeps corner pixels and interpolates between them", () => {
    const big = resizeBilinear(TINY, 4, 4);
    expect(Array.from(big.data.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(Array.from(big.data.subarray(45, 48))).toEqual([255, 255, 255]);
    // Second pixel of the top row is 3/4 red, 1/4 green.
    expect(Array.from(big.data.subarray(3, 6))).toEqual([191, 64, 0]);
  });

  test("resizing to the same size is the identity", () => {
    expect(resizeBilinear(TINY, 2, 2).data).toEqual(TINY.data);
  });
});

describe("padReplicate", () => {
  test("extends the edges outwards", () => {
    const padded = padReplicate(TINY, 1);
    expect(padded.width).toBe(4);
    expect(padded.height).toBe(4);
    expect(Array.from(padded.data.subarray(0, 3))).toEqual([255, 0, 0]);
    expect(Array.from(padded.data.subarray((4 * 4 - 1) * 3))).toEqual([255, 255, 255]);
    expect(Array.from(padded.data.subarray((1 * 4 + 1) * 3, (1 * 4 + 1) * 3 + 3))).toEqual([255, 0, 0]);
  });
});

describe("gaussianBlur", () => {
  test("keeps a flat image flat and sigma 0 is a copy", () => {
    const flat = { width: 5, height: 5, data: new Uint8Array(75).fill(90) };
    expect(gaussianBlur(flat, 1.5).data).toEqual(flat.data);
    expect(gaussianBlur(TINY, 0).data).toEqual(TINY.data);
  });

  test("spreads a single bright pixel symmetrically and keeps its energy", () => {
    const data = new Uint8Array(7 * 7 * 3);
    data.fill(255, (3 * 7 + 3) * 3, (3 * 7 + 3) * 3 + 3);
    const out = gaussianBlur({ width: 7, height: 7, data }, 1);
    const at = (x: number, y: number) => out.data[(y * 7 + x) * 3] as number;
    expect(at(3, 3)).toBeLessThan(255);
    expect(at(2, 3)).toBe(at(4, 3));
    expect(at(3, 2)).toBe(at(3, 4));
    let total = 0;
    for (let i = 0; i < out.data.length; i += 3) total += out.data[i] as number;
    expect(Math.abs(total - 255)).toBeLessThan(12);
  });

  test("refuses a negative sigma", () => {
    expect(() => gaussianBlur(TINY, -1)).toThrow(RangeError);
  });
});

describe("downscaleBox and mirror", () => {
  test("averages 2x2 blocks", () => {
    const out = downscaleBox(TINY, 2);
    expect(out.width).toBe(1);
    expect(Array.from(out.data)).toEqual([128, 128, 128]);
    expect(() => downscaleBox(TINY, 1.5)).toThrow(RangeError);
  });

  test("mirrors left to right", () => {
    expect(Array.from(mirror(TINY).data)).toEqual([0, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255]);
  });
});
