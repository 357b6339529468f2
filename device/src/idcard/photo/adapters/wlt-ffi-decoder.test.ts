import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isKioskError, KioskError } from "@kiosk/contracts";
import { CHIP_PHOTO_HEIGHT, CHIP_PHOTO_RGB_BYTES, CHIP_PHOTO_WIDTH } from "../photo-decoder.ts";
import { WltFfiDecoder, type WltFfiDecoderOptions } from "./wlt-ffi-decoder.ts";

const FAKE_SOURCE = join(import.meta.dir, "testdata", "fake-wlt.c");
const ARG = 708;
const SEED = 0x40;
// The header every capture starts with (spec §8); byte 16 seeds the fake's image.
const WLT_HEADER = [0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32, 0x00, 0x00, 0xff, 0x85, 0x12, 0x51, 0x51, 0x51, 0x3e];

let dir: string;
let libraryPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fake-wlt-"));
  libraryPath = join(dir, "libfakewlt.so");
  let built: ReturnType<typeof Bun.spawnSync>;
  try {
    built = Bun.spawnSync(["gcc", "-O2", "-shared", "-fPIC", "-o", libraryPath, FAKE_SOURCE], { stderr: "pipe" });
  } catch (error) {
    throw new Error(`gcc is needed to build the fake WLT library for this test: install it with "apt-get install -y gcc"`, { cause: error });
  }
  if (built.exitCode !== 0) throw new Error(`gcc failed to build ${FAKE_SOURCE}: ${built.stderr?.toString() ?? ""}`);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function wltVector(seed = SEED): Uint8Array {
  const bytes = new Uint8Array(1024);
  bytes.set(WLT_HEADER);
  bytes[16] = seed;
  return bytes;
}

function options(overrides: Partial<WltFfiDecoderOptions> = {}): WltFfiDecoderOptions {
  return { libraryPath, arg: ARG, channelOrder: "bgr", bottomUp: true, ...overrides };
}

/** The fake's image (see fake-wlt.c), top-down RGB. */
function expectedPixel(x: number, y: number, seed = SEED, arg = ARG): [number, number, number] {
  return [(seed + x) & 0xff, (seed + 2 * y) & 0xff, (arg + x + y) & 0xff];
}

function pixel(rgb: Uint8Array, x: number, y: number): number[] {
  const i = (y * CHIP_PHOTO_WIDTH + x) * 3;
  return [...rgb.subarray(i, i + 3)];
}

const CORNERS_AND_CENTRE = [
  [0, 0],
  [101, 0],
  [0, 125],
  [101, 125],
  [50, 63],
  [7, 99],
] as const;

async function thrown(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("WltFfiDecoder", () => {
  test("decodes through the vendor ABI into top-down RGB", async () => {
    const decoder = new WltFfiDecoder(options());
    try {
      const result = await decoder.decode(wltVector());
      if (!result.ok) throw new Error(result.message);
      expect(result.photo.format).toBe("wlt");
      expect(result.photo.width).toBe(CHIP_PHOTO_WIDTH);
      expect(result.photo.height).toBe(CHIP_PHOTO_HEIGHT);
      expect(result.photo.rgb.length).toBe(CHIP_PHOTO_RGB_BYTES);
      for (const [x, y] of CORNERS_AND_CENTRE) expect(pixel(result.photo.rgb, x, y)).toEqual(expectedPixel(x, y));
    } finally {
      decoder.close();
    }
  });

  test("the image follows the input bytes", async () => {
    const decoder = new WltFfiDecoder(options());
    try {
      const result = await decoder.decode(wltVector(0x99));
      if (!result.ok) throw new Error(result.message);
      expect(pixel(result.photo.rgb, 10, 20)).toEqual(expectedPixel(10, 20, 0x99));
    } finally {
      decoder.close();
    }
  });

  test("rgb order without flipping passes the library's rows through as they are", async () => {
    const decoder = new WltFfiDecoder(options({ channelOrder: "rgb", bottomUp: false }));
    try {
      const result = await decoder.decode(wltVector());
      if (!result.ok) throw new Error(result.message);
      // Row 0 of the output is the fake's bottom row, in B,G,R order.
      const [r, g, b] = expectedPixel(3, 125);
      expect(pixel(result.photo.rgb, 3, 0)).toEqual([b, g, r]);
    } finally {
      decoder.close();
    }
  });

  test("mirrored rows are read right to left", async () => {
    const decoder = new WltFfiDecoder(options({ mirrored: true }));
    try {
      const result = await decoder.decode(wltVector());
      if (!result.ok) throw new Error(result.message);
      expect(pixel(result.photo.rgb, 0, 5)).toEqual(expectedPixel(101, 5));
    } finally {
      decoder.close();
    }
  });

  test("the caller's bytes are not handed to the library", async () => {
    const decoder = new WltFfiDecoder(options());
    const bytes = wltVector();
    const before = bytes.slice();
    try {
      await decoder.decode(bytes);
      expect(bytes).toEqual(before);
    } finally {
      decoder.close();
    }
  });

  test("a photo without the WLT magic gives the library's bad-format code as wlt-decode-failed", async () => {
    const decoder = new WltFfiDecoder(options());
    try {
      const bytes = wltVector();
      bytes[0] = 0;
      const result = await decoder.decode(bytes);
      expect(result).toEqual({ ok: false, code: "wlt-decode-failed", message: 'WLT decoder "_Z6unpackPcS_i" returned -4: bad WLT format' });
    } finally {
      decoder.close();
    }
  });

  test("a photo that is not 1024 bytes is refused before the library reads past it", async () => {
    const decoder = new WltFfiDecoder(options({ libraryPath: join(dir, "never-loaded.so") }));
    const result = await decoder.decode(wltVector().subarray(0, 1000));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe("wlt-decode-failed");
      expect(result.message).toContain("1000 bytes");
    }
    expect(decoder.isOpen).toBe(false);
  });

  test("a library writing past the raw buffer is caught by the guard zone", async () => {
    const decoder = new WltFfiDecoder(options({ symbol: "unpack_overflow" }));
    try {
      const result = await decoder.decode(wltVector());
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.code).toBe("wlt-decode-failed");
        expect(result.message).toContain("wrote past its 38556-byte output");
      }
    } finally {
      decoder.close();
    }
  });

  test("success with an all-black image is a failure", async () => {
    const decoder = new WltFfiDecoder(options({ symbol: "unpack_black" }));
    try {
      const result = await decoder.decode(wltVector());
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain("all-black");
    } finally {
      decoder.close();
    }
  });

  test("constructing does not load; open() and close() load and unload, and decode reloads", async () => {
    const decoder = new WltFfiDecoder(options());
    expect(decoder.isOpen).toBe(false);
    decoder.open();
    expect(decoder.isOpen).toBe(true);
    decoder.close();
    decoder.close();
    expect(decoder.isOpen).toBe(false);
    expect((await decoder.decode(wltVector())).ok).toBe(true);
    expect(decoder.isOpen).toBe(true);
    decoder.close();
  });

  test("a wrong library path is a missing-dependency error naming the path and the config key", async () => {
    const missing = join(dir, "libwlt2bmp.so");
    const decoder = new WltFfiDecoder(options({ libraryPath: missing }));
    for (const error of [await thrown(() => decoder.open()), await thrown(() => decoder.decode(wltVector()))]) {
      expect(isKioskError(error, "missing-dependency")).toBe(true);
      const kiosk = error as KioskError;
      expect(kiosk.message).toContain(`"${missing}"`);
      expect(kiosk.message).toContain('"idcard.wltDecoder.libraryPath"');
      expect(kiosk.message).toContain("No such file");
      expect(kiosk.details).toEqual({ configKey: "idcard.wltDecoder.libraryPath", libraryPath: missing });
    }
    expect(decoder.isOpen).toBe(false);
  });

  test("a file that is not a shared library is reported the same way", async () => {
    const decoder = new WltFfiDecoder(options({ libraryPath: FAKE_SOURCE }), "reader.photo");
    const error = await thrown(() => decoder.open());
    expect(isKioskError(error, "missing-dependency")).toBe(true);
    expect((error as KioskError).message).toContain('"reader.photo.libraryPath"');
  });

  test("a wrong symbol is a missing-dependency error naming the symbol and the config key", async () => {
    const decoder = new WltFfiDecoder(options({ symbol: "unpack" }));
    const error = await thrown(() => decoder.open());
    expect(isKioskError(error, "missing-dependency")).toBe(true);
    const kiosk = error as KioskError;
    expect(kiosk.message).toContain('no function "unpack"');
    expect(kiosk.message).toContain('"idcard.wltDecoder.symbol"');
    expect(kiosk.details).toEqual({ configKey: "idcard.wltDecoder.symbol", libraryPath, symbol: "unpack" });
    expect(decoder.isOpen).toBe(false);
  });

  test("options are checked when constructed", () => {
    expect(() => new WltFfiDecoder(options({ arg: 1.5 }))).toThrow(RangeError);
    expect(() => new WltFfiDecoder(options({ arg: 2 ** 31 }))).toThrow(RangeError);
    expect(() => new WltFfiDecoder(options({ libraryPath: "" }))).toThrow(TypeError);
    expect(() => new WltFfiDecoder({ ...options(), abi: "get-bmp" as never })).toThrow('Unknown WLT decoder ABI "get-bmp"');
    expect(() => new WltFfiDecoder({ ...options(), channelOrder: "grb" as never })).toThrow(RangeError);
    expect(() => new WltFfiDecoder({ ...options(), bottomUp: "yes" as never })).toThrow(TypeError);
  });
});
