import { describe, expect, test } from "bun:test";
import sharp from "sharp";
import { DEFAULT_MAX_JPEG_BYTES, MjpegSplitter } from "./mjpeg-splitter.ts";

/** A marker segment: FF, marker, 2-byte length counting itself, payload. */
function segment(marker: number, payload: readonly number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

interface FakeJpegOptions {
  width?: number;
  height?: number;
  /** Entropy-coded bytes of the (first) scan. */
  scan?: readonly number[];
  /** Extra segments between APP0 and SOF. */
  extra?: readonly number[];
  /** A second scan (progressive), preceded by a DHT. */
  secondScan?: readonly number[];
  /** Put the SOS before the SOF (invalid). */
  scanFirst?: boolean;
}

/**
 * A structurally valid JPEG: SOI, APP0, DQT, SOF0, DHT, SOS + scan data, EOI.
 * Not decodable (the tables are dummies); the splitter only follows markers.
 */
function fakeJpeg(options: FakeJpegOptions = {}): Uint8Array {
  const width = options.width ?? 8;
  const height = options.height ?? 6;
  const sof = segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
  const sos = segment(0xda, [1, 1, 0, 0, 0x3f, 0]);
  const scan = options.scan ?? [0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd3, 0x78];
  const bytes = [
    0xff,
    0xd8,
    ...segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    ...(options.extra ?? []),
    ...segment(0xdb, [0, ...Array.from({ length: 64 }, (_, i) => i + 1)]),
    ...(options.scanFirst ? [...sos, ...scan, ...sof] : [...sof, ...segment(0xc4, [0, ...new Array<number>(16).fill(0)]), ...sos, ...scan]),
    ...(options.secondScan ? [...segment(0xc4, [0x10, ...new Array<number>(16).fill(0)]), ...sos, ...options.secondScan] : []),
    0xff,
    0xd9,
  ];
  return Uint8Array.from(bytes);
}

function concat(...parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Deterministic bytes (a 32-bit LCG), so a failing case can be reproduced. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state >>> 24;
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function pushAll(splitter: MjpegSplitter, chunks: readonly Uint8Array[]): Uint8Array[] {
  return chunks.flatMap((chunk) => splitter.push(chunk).map((image) => image.bytes));
}

const A = fakeJpeg({ width: 640, height: 480 });
const B = fakeJpeg({ width: 320, height: 240, scan: [1, 2, 3, 0xff, 0xd0, 4, 0xff, 0xff, 0x00, 5] });

describe("MjpegSplitter", () => {
  test("emits one image from one chunk, with its size from the frame header", () => {
    const splitter = new MjpegSplitter();
    const images = splitter.push(A);
    expect(images).toHaveLength(1);
    expect(images[0]?.bytes).toEqual(A);
    expect(images[0]?.width).toBe(640);
    expect(images[0]?.height).toBe(480);
    expect(splitter.counters).toEqual({ frames: 1, garbageBytes: 0, oversize: 0, truncated: 0, invalid: 0 });
    expect(splitter.bufferedBytes).toBe(0);
  });

  test("two images split at every possible point come out whole and in order", () => {
    const stream = concat(A, B);
    for (let cut = 0; cut <= stream.length; cut++) {
      const splitter = new MjpegSplitter();
      const images = pushAll(splitter, [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(images).toEqual([A, B]);
      expect(splitter.counters.garbageBytes).toBe(0);
    }
  });

  test("one byte per chunk works, and two images in one chunk both come out", () => {
    const stream = concat(A, B, A);
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, Array.from(stream, (b) => Uint8Array.of(b)))).toEqual([A, B, A]);
    expect(new MjpegSplitter().push(stream).map((i) => i.bytes)).toEqual([A, B, A]);
  });

  test("0 to 64 bytes of garbage before an image are counted and skipped", () => {
    for (let n = 0; n <= 64; n++) {
      const garbage = pseudoRandomBytes(n, n + 1);
      const splitter = new MjpegSplitter();
      expect(pushAll(splitter, [concat(garbage, A)])).toEqual([A]);
      expect(splitter.counters.garbageBytes).toBe(n);
    }
  });

  test("a start marker split across chunks (FF | D8) is found", () => {
    const splitter = new MjpegSplitter();
    const stream = concat([1, 2, 3], A);
    expect(pushAll(splitter, [stream.subarray(0, 4), stream.subarray(4)])).toEqual([A]);
    expect(splitter.counters.garbageBytes).toBe(3);
  });

  test("an FF ending a garbage chunk that is not followed by D8 is counted as garbage", () => {
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [Uint8Array.of(9, 0xff), Uint8Array.of(0x00, ...A)])).toEqual([A]);
    expect(splitter.counters.garbageBytes).toBe(3);
  });

  test("an EXIF thumbnail (a whole JPEG inside APP1) does not end the image", () => {
    const thumbnail = fakeJpeg({ width: 4, height: 3 });
    const exif = segment(0xe1, [0x45, 0x78, 0x69, 0x66, 0, 0, ...thumbnail]);
    const withThumb = fakeJpeg({ width: 1280, height: 720, extra: exif });
    const splitter = new MjpegSplitter();
    const images = splitter.push(concat(withThumb, A));
    expect(images.map((i) => i.bytes)).toEqual([withThumb, A]);
    expect(images[0]?.width).toBe(1280);
  });

  test("a progressive image with two scans is one image", () => {
    const progressive = fakeJpeg({ secondScan: [7, 0xff, 0x00, 8, 9] });
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [progressive, A])).toEqual([progressive, A]);
  });

  test("an image cut off in its scan data is dropped when the next one starts", () => {
    const cut = A.subarray(0, A.length - 5);
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [cut, B])).toEqual([B]);
    expect(splitter.counters.truncated).toBe(1);
    expect(splitter.counters.garbageBytes).toBe(cut.length);
  });

  test("an image cut off between two segments is dropped when the next one starts", () => {
    const cut = A.subarray(0, 20); // ends right after APP0
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [cut, B])).toEqual([B]);
    expect(splitter.counters.truncated).toBe(1);
  });

  test("a false start resumes the hunt at the next byte, finding a real image inside what it claimed", () => {
    // FF D8, then an APP1 claiming 14 bytes: the claim swallows the start of
    // the real image, and the byte after the claim is not a marker.
    const falseStart = [0xff, 0xd8, 0xff, 0xe1, 0x00, 0x10];
    expect(A[14]).not.toBe(0xff);
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [concat(falseStart, A)])).toEqual([A]);
    expect(splitter.counters.invalid).toBe(1);
    expect(splitter.counters.garbageBytes).toBe(falseStart.length);
  });

  test("FF D8 followed by a non-marker byte is rejected", () => {
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [concat([0xff, 0xd8, 0x00, 0x42], A)])).toEqual([A]);
    expect(splitter.counters.invalid).toBe(1);
    expect(splitter.counters.garbageBytes).toBe(4);
  });

  test.each([
    ["a scan before the frame header", fakeJpeg({ scanFirst: true })],
    ["EOI before any scan", Uint8Array.of(0xff, 0xd8, ...segment(0xe0, [1, 2]), 0xff, 0xd9)],
    ["a segment length below 2", Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xd9)],
    ["a restart marker outside scan data", Uint8Array.of(0xff, 0xd8, 0xff, 0xd0, 0xff, 0xd9)],
    ["a frame header too short for a size", Uint8Array.of(0xff, 0xd8, ...segment(0xc0, [8, 0, 1]), 0xff, 0xd9)],
    ["a zero width", fakeJpeg({ width: 0 })],
  ])("%s is invalid and the next image still comes out", (_name, bad) => {
    const splitter = new MjpegSplitter();
    expect(pushAll(splitter, [bad, B])).toEqual([B]);
    expect(splitter.counters.invalid).toBeGreaterThanOrEqual(1);
    expect(splitter.counters.frames).toBe(1);
    expect(splitter.counters.garbageBytes).toBe(bad.length);
  });

  test("an image longer than maxFrameBytes is dropped, the buffer stays within the cap, and the next image comes out", () => {
    const big = fakeJpeg({ scan: Array.from(pseudoRandomBytes(600, 7), (b) => (b === 0xff ? 0 : b)) });
    const splitter = new MjpegSplitter({ maxFrameBytes: 256 });
    const images: Uint8Array[] = [];
    for (let at = 0; at < big.length; at += 50) {
      images.push(...pushAll(splitter, [big.subarray(at, at + 50)]));
      expect(splitter.bufferedBytes).toBeLessThanOrEqual(256);
    }
    images.push(...pushAll(splitter, [B]));
    expect(images).toEqual([B]);
    expect(splitter.counters.oversize).toBe(1);
    expect(splitter.counters.garbageBytes).toBe(big.length);
  });

  test("1 MB of garbage full of false starts stays within the cap and is all counted", () => {
    // FF D8 FF E0 FF FF: a start with the longest APP0 length, then noise.
    const noise = concat(...Array.from({ length: 64 }, (_, i) => concat([0xff, 0xd8, 0xff, 0xe0, 0xff, 0xff], pseudoRandomBytes(16378, i))));
    expect(noise.length).toBe(1024 * 1024);
    const splitter = new MjpegSplitter({ maxFrameBytes: 32 * 1024 });
    let maxBuffered = 0;
    let frames = 0;
    for (let at = 0; at < noise.length; at += 4096) {
      frames += splitter.push(noise.subarray(at, at + 4096)).length;
      maxBuffered = Math.max(maxBuffered, splitter.bufferedBytes);
    }
    splitter.reset();
    expect(frames).toBe(0);
    expect(maxBuffered).toBeLessThanOrEqual(32 * 1024);
    expect(splitter.counters.garbageBytes).toBe(noise.length);
  });

  test("reset() drops a partial image without emitting it and counts it as truncated", () => {
    const splitter = new MjpegSplitter();
    expect(splitter.push(A.subarray(0, 30))).toEqual([]);
    expect(splitter.bufferedBytes).toBe(30);
    splitter.reset();
    expect(splitter.bufferedBytes).toBe(0);
    expect(splitter.counters.truncated).toBe(1);
    // The rest of the old image is now garbage; the next image is clean.
    expect(pushAll(splitter, [A.subarray(30), B])).toEqual([B]);
    expect(splitter.counters.garbageBytes).toBe(A.length);
  });

  /** Garbage, optionally cut-off images, and whole images in a seeded random order, pushed in random chunk sizes. */
  function fuzz(
    seed: number,
    garbage: (length: number, seed: number) => Uint8Array,
    withCuts: boolean,
  ): { stream: Uint8Array; splitter: MjpegSplitter; images: Uint8Array[]; whole: Uint8Array[] } {
    const rand = pseudoRandomBytes(400, seed * 97);
    let r = 0;
    const next = (): number => rand[r++ % rand.length] ?? 0;
    const parts: Uint8Array[] = [];
    const whole: Uint8Array[] = [];
    for (let k = 0; k < 30; k++) {
      const pick = next() % 4;
      if (pick === 0) parts.push(garbage(next(), seed * 1000 + k));
      else if (pick === 1 && withCuts) parts.push(A.subarray(0, 10 + (next() % (A.length - 12))));
      else {
        const image = pick === 2 ? A : B;
        parts.push(image);
        whole.push(image);
      }
    }
    const stream = concat(...parts);
    const splitter = new MjpegSplitter();
    const images: Uint8Array[] = [];
    for (let at = 0; at < stream.length; ) {
      const size = 1 + (next() % 97);
      images.push(...pushAll(splitter, [stream.subarray(at, at + size)]));
      at += size;
    }
    return { stream, splitter, images, whole };
  }

  test("every pushed byte is in an image, counted as garbage or still buffered (seeded fuzz)", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const { stream, splitter, images } = fuzz(seed, pseudoRandomBytes, true);
      const emitted = images.reduce((n, i) => n + i.length, 0);
      expect(emitted + splitter.counters.garbageBytes + splitter.bufferedBytes).toBe(stream.length);
      expect(splitter.counters.frames).toBe(images.length);
      // An image cut inside a segment header lets the length it claimed
      // swallow the next start (a limit of JPEG framing), so only the envelope
      // is certain here.
      for (const image of images) {
        expect([image[0], image[1], image.at(-2), image.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
      }
    }
  });

  test("whole images between garbage free of FF bytes all come out, in order (seeded fuzz)", () => {
    const noFf = (length: number, seed: number): Uint8Array => pseudoRandomBytes(length, seed).map((b) => (b === 0xff ? 0x7f : b));
    for (let seed = 1; seed <= 30; seed++) {
      const { stream, splitter, images, whole } = fuzz(seed, noFf, false);
      expect(images).toEqual(whole);
      const emitted = images.reduce((n, i) => n + i.length, 0);
      expect(splitter.counters.garbageBytes).toBe(stream.length - emitted);
    }
  });

  test("real JPEGs from libvips (baseline with EXIF, and progressive) are split exactly", async () => {
    const raw = { raw: { width: 96, height: 64, channels: 3 as const } };
    const pixels = pseudoRandomBytes(96 * 64 * 3, 5);
    const baseline = new Uint8Array(
      await sharp(pixels, raw).jpeg({ quality: 80 }).withExif({ IFD0: { Copyright: "test" } }).toBuffer(),
    );
    const progressive = new Uint8Array(await sharp(pixels, raw).jpeg({ quality: 70, progressive: true }).toBuffer());
    const stream = concat(baseline, progressive, baseline);
    const splitter = new MjpegSplitter();
    const images: { bytes: Uint8Array; width: number; height: number }[] = [];
    for (let at = 0; at < stream.length; at += 1000) images.push(...splitter.push(stream.subarray(at, at + 1000)));
    expect(images.map((i) => i.bytes)).toEqual([baseline, progressive, baseline]);
    expect(images.map((i) => [i.width, i.height])).toEqual([
      [96, 64],
      [96, 64],
      [96, 64],
    ]);
    expect(splitter.counters.garbageBytes).toBe(0);
  });

  test("rejects a cap too small for any JPEG", () => {
    expect(() => new MjpegSplitter({ maxFrameBytes: 3 })).toThrow(RangeError);
    expect(() => new MjpegSplitter({ maxFrameBytes: 1.5 })).toThrow(RangeError);
    expect(new MjpegSplitter().maxFrameBytes).toBe(DEFAULT_MAX_JPEG_BYTES);
  });
});
