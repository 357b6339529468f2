import { describe, expect, test } from "bun:test";
import { KioskError } from "@kiosk/contracts";
import { ChipPhotoDecoder } from "./chip-photo-decoder.ts";
import type { DecodedPhoto, PhotoDecodeResult, PhotoDecoder } from "./photo-decoder.ts";

/** A decoder that records what it was given and answers with a fixed result or error. */
class FakeDecoder implements PhotoDecoder {
  readonly calls: Uint8Array[] = [];
  constructor(private readonly answer: PhotoDecodeResult | (() => never)) {}
  async decode(bytes: Uint8Array): Promise<PhotoDecodeResult> {
    this.calls.push(bytes);
    if (typeof this.answer === "function") this.answer();
    return this.answer as PhotoDecodeResult;
  }
}

function photo(format: DecodedPhoto["format"]): DecodedPhoto {
  return { format, width: 1, height: 1, rgb: Uint8Array.of(1, 2, 3) };
}

// The chip header of spec §8, padded to the 1024 bytes of a real photo.
function wltPhoto(): Uint8Array {
  const bytes = new Uint8Array(1024);
  bytes.set([0x57, 0x4c, 0x66, 0x00, 0x7e, 0x00, 0x32, 0x00, 0x00, 0xff, 0x85, 0x00, 0x51, 0x51, 0x51, 0x3e]);
  return bytes;
}

const JPEG = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 0x10);
const WEBP = Uint8Array.of(0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x45, 0x42, 0x50);

describe("ChipPhotoDecoder", () => {
  test("a WLT photo without a WLT decoder gives no-wlt-decoder with the fixed message", async () => {
    const image = new FakeDecoder({ ok: true, photo: photo("jpeg") });
    const result = await new ChipPhotoDecoder({ image }).decode(wltPhoto());
    expect(result).toEqual({ ok: false, code: "no-wlt-decoder", message: "chip photo cannot be decoded: no WLT decoder configured" });
    expect(image.calls).toHaveLength(0);
  });

  test("a WLT photo goes to the WLT decoder", async () => {
    const wlt = new FakeDecoder({ ok: true, photo: photo("wlt") });
    const image = new FakeDecoder({ ok: true, photo: photo("jpeg") });
    const decoder = new ChipPhotoDecoder({ image, wlt });
    const bytes = wltPhoto();
    const result = await decoder.decode(bytes);
    expect(result).toEqual({ ok: true, photo: photo("wlt") });
    expect(wlt.calls).toEqual([bytes]);
    expect(image.calls).toHaveLength(0);
    expect(decoder.canDecodeWlt).toBe(true);
  });

  test.each([
    ["JPEG", JPEG],
    ["WebP", WEBP],
  ])("a %s photo goes to the image decoder", async (_name, bytes) => {
    const wlt = new FakeDecoder({ ok: true, photo: photo("wlt") });
    const image = new FakeDecoder({ ok: true, photo: photo("jpeg") });
    const result = await new ChipPhotoDecoder({ image, wlt }).decode(bytes);
    expect(result.ok).toBe(true);
    expect(image.calls).toEqual([bytes]);
    expect(wlt.calls).toHaveLength(0);
  });

  test("a decoder's failure is passed on unchanged", async () => {
    const failure = { ok: false, code: "wlt-decode-failed", message: 'WLT decoder "unpack" returned -5: decoder software not licensed' } as const;
    const result = await new ChipPhotoDecoder({ image: new FakeDecoder(failure), wlt: new FakeDecoder(failure) }).decode(wltPhoto());
    expect(result).toEqual(failure);
  });

  test.each([
    ["empty", new Uint8Array(0)],
    ["PNG", Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)],
    ["two bytes of the WLT magic", Uint8Array.of(0x57, 0x4c)],
    ["RIFF that is not WebP", Uint8Array.of(0x52, 0x49, 0x46, 0x46, 4, 0, 0, 0, 0x57, 0x41, 0x56, 0x45)],
  ])("%s bytes are unsupported-format", async (_name, bytes) => {
    const image = new FakeDecoder({ ok: true, photo: photo("jpeg") });
    const result = await new ChipPhotoDecoder({ image }).decode(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.code).toBe("unsupported-format");
    expect(image.calls).toHaveLength(0);
  });

  test("a decoder that throws on bad bytes still gives a failure value", async () => {
    const image = new FakeDecoder(() => {
      throw new Error("boom");
    });
    const wlt = new FakeDecoder(() => {
      throw new TypeError("bad pointer");
    });
    const decoder = new ChipPhotoDecoder({ image, wlt });
    expect(await decoder.decode(JPEG)).toEqual({ ok: false, code: "image-decode-failed", message: "Photo decoder threw: boom" });
    expect(await decoder.decode(wltPhoto())).toEqual({ ok: false, code: "wlt-decode-failed", message: "Photo decoder threw: bad pointer" });
  });

  test("a KioskError from a decoder (a configuration fault) is not hidden", async () => {
    const wlt = new FakeDecoder(() => {
      throw new KioskError("missing-dependency", "Cannot load the WLT decoder library");
    });
    const decoder = new ChipPhotoDecoder({ image: new FakeDecoder({ ok: true, photo: photo("jpeg") }), wlt });
    await expect(decoder.decode(wltPhoto())).rejects.toMatchObject({ code: "missing-dependency" });
  });
});
