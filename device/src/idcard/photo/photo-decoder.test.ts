import { describe, expect, test } from "bun:test";
import { ERROR_CODES, isKioskError } from "@kiosk/contracts";
import { CHIP_PHOTO_RGB_BYTES, describeWltReturnCode, photoDecodeFailure, requireDecodedPhoto, type DecodedPhoto } from "./photo-decoder.ts";

describe("photo decoder port", () => {
  test("a decoded chip photo is 102 × 126 × 3 bytes (spec §8)", () => {
    expect(CHIP_PHOTO_RGB_BYTES).toBe(38556);
  });

  test.each([
    [1, "success"],
    [0, "error calling the reader SDK (sdtapi)"],
    [-1, "photo decode error"],
    [-4, "bad WLT format"],
    [-5, "decoder software not licensed for this reader's SAM"],
    [-6, "device connection error"],
    [42, "unknown return code"],
  ])("WLT return code %p reads %p", (code, text) => {
    expect(describeWltReturnCode(code)).toBe(text);
  });

  test("requireDecodedPhoto returns the photo or throws photo-undecodable", () => {
    const photo: DecodedPhoto = { format: "jpeg", width: 1, height: 1, rgb: Uint8Array.of(0, 0, 0) };
    expect(requireDecodedPhoto({ ok: true, photo })).toBe(photo);
    let error: unknown;
    try {
      requireDecodedPhoto(photoDecodeFailure("image-decode-failed", "Cannot decode the jpeg photo: truncated"));
    } catch (caught) {
      error = caught;
    }
    expect(isKioskError(error, "photo-undecodable")).toBe(true);
    expect(error).toMatchObject({ message: "Cannot decode the jpeg photo: truncated", retryable: false, details: { reason: "image-decode-failed" } });
    expect(ERROR_CODES["photo-undecodable"]).toEqual({ status: 422, retryable: false });
  });
});
