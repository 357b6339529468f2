import { describe, expect, test } from "bun:test";
import { alignFaceChip, applySimilarity, dlibChipTransform, DLIB_TEMPLATE_5, fitSimilarity, invertSimilarity, warpSimilarity } from "./face-align.ts";

describe("fitSimilarity", () => {
  test("recovers a known rotation, scale and shift exactly", () => {
    const truth = { a: 2 * Math.cos(0.3), b: 2 * Math.sin(0.3), tx: 5, ty: -7 };
    const from = [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 3, y: 8 }, { x: -4, y: 2 }];
    const to = from.map((p) => applySimilarity(truth, p));
    const fit = fitSimilarity(from, to);
    expect(fit.a).toBeCloseTo(truth.a, 10);
    expect(fit.b).toBeCloseTo(truth.b, 10);
    expect(fit.tx).toBeCloseTo(5, 10);
    expect(fit.ty).toBeCloseTo(-7, 10);
  });

  test("inverts to the identity", () => {
    const t = { a: 1.5, b: -0.4, tx: 3, ty: 9 };
    const p = applySimilarity(invertSimilarity(t), applySimilarity(t, { x: 12, y: -3 }));
    expect(p.x).toBeCloseTo(12, 10);
    expect(p.y).toBeCloseTo(-3, 10);
  });

  test("refuses too few or coincident points", () => {
    expect(() => fitSimilarity([{ x: 0, y: 0 }], [{ x: 1, y: 1 }])).toThrow(RangeError);
    expect(() => fitSimilarity([{ x: 1, y: 1 }, { x: 1, y: 1 }], [{ x: 0, y: 0 }, { x: 2, y: 2 }])).toThrow("coincide");
    expect(() => invertSimilarity({ a: 0, b: 0, tx: 0, ty: 0 })).toThrow(RangeError);
  });
});

describe("dlibChipTransform", () => {
  test("puts landmarks already on the template where dlib puts them (150 px, padding 0.25)", () => {
    // Landmarks at the template positions of a 100-px unit square at (40, 20).
    const landmarks = DLIB_TEMPLATE_5.map((p) => ({ x: 40 + 100 * p.x, y: 20 + 100 * p.y }));
    const t = dlibChipTransform(landmarks, 150, 0.25);
    // The unit square spans 150 / 1.5 = 100 chip pixels, starting 25 px in.
    expect(Math.hypot(t.a, t.b)).toBeCloseTo(1, 10);
    const eye = applySimilarity(t, landmarks[0]!);
    expect(eye.x).toBeCloseTo(25 + 100 * DLIB_TEMPLATE_5[0]!.x, 8);
    expect(eye.y).toBeCloseTo(25 + 100 * DLIB_TEMPLATE_5[0]!.y, 8);
  });
});

describe("warpSimilarity and alignFaceChip", () => {
  const image = { width: 4, height: 3, data: Uint8Array.from({ length: 36 }, (_, i) => i * 7) };

  test("the identity warp reproduces the image, and outside pixels are black", () => {
    expect(warpSimilarity(image, { a: 1, b: 0, tx: 0, ty: 0 }, 4, 3).data).toEqual(image.data);
    const shifted = warpSimilarity(image, { a: 1, b: 0, tx: 2, ty: 0 }, 4, 3);
    // Columns 2 and 3 now come from beyond the right edge.
    expect(Array.from(shifted.data.subarray(6, 12))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(shifted.data.subarray(0, 3))).toEqual(Array.from(image.data.subarray(6, 9)));
  });

  test("a half-pixel shift interpolates neighbours", () => {
    const row = { width: 2, height: 1, data: Uint8Array.from([0, 0, 0, 100, 200, 50]) };
    const out = warpSimilarity(row, { a: 1, b: 0, tx: 0.5, ty: 0 }, 1, 1);
    expect(Array.from(out.data)).toEqual([50, 100, 25]);
  });

  test("a chip of a large face is box-averaged first, so fine stripes become flat grey", () => {
    // 1-px black/white stripes shrunk 4x must average out, not alias.
    const size = 600;
    const data = new Uint8Array(size * size * 3);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data.fill(x % 2 ? 255 : 0, (y * size + x) * 3, (y * size + x) * 3 + 3);
    const landmarks = DLIB_TEMPLATE_5.map((p) => ({ x: 150 + 400 * p.x, y: 100 + 400 * p.y }));
    const chip = alignFaceChip({ width: size, height: size, data }, landmarks, 150, 0.25);
    expect(chip.width).toBe(150);
    const centre = chip.data[(75 * 150 + 75) * 3] as number;
    expect(Math.abs(centre - 128)).toBeLessThan(8);
  });
});

