import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { ImagePhotoDecoder } from "./image-photo-decoder.ts";

// Fixtures, made once with sharp from a synthetic four-colour pattern (no
// faces): quadrants split at x = 51 and y = 63, colours in QUADRANTS below.
// - pattern-102x126.jpg: JPEG q70 (mozjpeg), 813 bytes
// - pattern-102x126-alpha.webp: lossless WebP with alpha (the bottom-right
//   quadrant is half transparent), 94 bytes
// - noise-102x126-oversize.jpg: a valid JPEG of noise, 11 584 bytes
// - truncated-102x126.jpg: the first 400 bytes of pattern-102x126.jpg
// - white-3000x3000-bomb.webp: 422 bytes declaring 9 megapixels
const TESTDATA = join(import.meta.dir, "testdata");

async function fixture(name: string): Promise<Uint8Array> {
  return new Uint8Array(await Bun.file(join(TESTDATA, name)).arrayBuffer());
}

const QUADRANTS = [
  { x: 25, y: 31, rgb: [220, 40, 40] },
  { x: 76, y: 31, rgb: [40, 180, 60] },
  { x: 25, y: 94, rgb: [30, 60, 200] },
  { x: 76, y: 94, rgb: [240, 240, 240] },
] as const;

function pixel(rgb: Uint8Array, width: number, x: number, y: number): number[] {
  const i = (y * width + x) * 3;
  return [...rgb.subarray(i, i + 3)];
}

describe("ImagePhotoDecoder", () => {
  const decoder = new ImagePhotoDecoder();

  test("decodes a JPEG photo to 102×126 RGB", async () => {
    const bytes = await fixture("pattern-102x126.jpg");
    expect(bytes.length).toBeLessThanOrEqual(1024);
    const result = await decoder.decode(bytes);
    if (!result.ok) throw new Error(result.message);
    expect(result.photo.format).toBe("jpeg");
    expect(result.photo.width).toBe(102);
    expect(result.photo.height).toBe(126);
    expect(result.photo.rgb.length).toBe(102 * 126 * 3);
    // JPEG is lossy: flat areas come back within a few levels.
    for (const { x, y, rgb } of QUADRANTS) {
      const actual = pixel(result.photo.rgb, 102, x, y);
      actual.forEach((value, i) => expect(Math.abs(value - (rgb[i] ?? 0))).toBeLessThanOrEqual(8));
    }
  });

  test("decodes a lossless WebP photo exactly and drops its alpha channel", async () => {
    const bytes = await fixture("pattern-102x126-alpha.webp");
    expect(bytes.length).toBeLessThanOrEqual(1024);
    const result = await decoder.decode(bytes);
    if (!result.ok) throw new Error(result.message);
    expect(result.photo.format).toBe("webp");
    expect([result.photo.width, result.photo.height]).toEqual([102, 126]);
    expect(result.photo.rgb.length).toBe(102 * 126 * 3);
    for (const { x, y, rgb } of QUADRANTS) expect(pixel(result.photo.rgb, 102, x, y)).toEqual([...rgb]);
  });

  test("a photo over 1024 bytes is photo-too-large, not decoded", async () => {
    const bytes = await fixture("noise-102x126-oversize.jpg");
    const result = await decoder.decode(bytes);
    expect(result).toEqual({ ok: false, code: "photo-too-large", message: `Photo has ${bytes.length} bytes: a card photo has at most 1024` });
  });

  test("maxBytes can raise the limit", async () => {
    const result = await new ImagePhotoDecoder({ maxBytes: 64 * 1024 }).decode(await fixture("noise-102x126-oversize.jpg"));
    expect(result.ok).toBe(true);
  });

  test("a truncated JPEG is image-decode-failed", async () => {
    const result = await decoder.decode(await fixture("truncated-102x126.jpg"));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe("image-decode-failed");
      expect(result.message).toStartWith("Cannot decode the jpeg photo: ");
    }
  });

  test("JPEG magic followed by garbage is image-decode-failed", async () => {
    const bytes = new Uint8Array(300).fill(0x5a);
    bytes.set([0xff, 0xd8, 0xff, 0xe0]);
    const result = await decoder.decode(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe("image-decode-failed");
  });

  test("a small file declaring a huge image is refused before decoding", async () => {
    const bytes = await fixture("white-3000x3000-bomb.webp");
    expect(bytes.length).toBeLessThanOrEqual(1024);
    const result = await decoder.decode(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe("image-decode-failed");
      expect(result.message).toContain("pixel limit");
    }
  });

  test("WLT and unknown bytes are unsupported-format", async () => {
    const wlt = new Uint8Array(1024);
    wlt.set([0x57, 0x4c, 0x66]);
    for (const bytes of [wlt, new Uint8Array([1, 2, 3]), new Uint8Array(0)]) {
      const result = await decoder.decode(bytes);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe("unsupported-format");
    }
  });

  test("limits must be positive integers", () => {
    expect(() => new ImagePhotoDecoder({ maxBytes: 0 })).toThrow(RangeError);
    expect(() => new ImagePhotoDecoder({ maxPixels: 1.5 })).toThrow(RangeError);
  });
});
