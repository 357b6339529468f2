/**
 * The port every card-photo decoder implements: bytes in, a raw RGB image
 * (or a reason) out. Face matching depends only on {@linkcode DecodedPhoto},
 * never on how the photo was stored (spec §8: keep the 1024 raw bytes, match
 * on the decoded 102×126 image).
 *
 * Expected failures (a corrupt photo, no licensed WLT decoder) are values so
 * the kiosk can send the applicant to the staff window; a caller that must
 * throw turns them into a `photo-undecodable` {@linkcode KioskError} with
 * {@linkcode requireDecodedPhoto}.
 */
import { KioskError } from "@kiosk/contracts";
import type { PhotoFormat } from "../protocol/base-message.ts";

/** Width of the image stored on the chip, in pixels (spec §8). */
export const CHIP_PHOTO_WIDTH = 102;
/** Height of the image stored on the chip, in pixels (spec §8). */
export const CHIP_PHOTO_HEIGHT = 126;
/** Bytes per pixel of {@linkcode DecodedPhoto.rgb}. */
export const RGB_CHANNELS = 3;
/** Size of a decoded chip photo: 102 × 126 × 3 = 38 556 bytes (spec §8, "raw decoder output"). */
export const CHIP_PHOTO_RGB_BYTES = CHIP_PHOTO_WIDTH * CHIP_PHOTO_HEIGHT * RGB_CHANNELS;

/** A decoded photo: 8-bit RGB, rows top to bottom, pixels left to right. */
export interface DecodedPhoto {
  /** The stored format the image was decoded from. */
  readonly format: Exclude<PhotoFormat, "unknown">;
  readonly width: number;
  readonly height: number;
  /** `width * height * 3` bytes: R, G, B per pixel, top row first. */
  readonly rgb: Uint8Array;
}

/** Why a photo could not be decoded, with what the code means. */
export const PHOTO_DECODE_FAILURES = {
  /** The photo is a chip WLT blob and the kiosk has no licensed decoder configured. */
  "no-wlt-decoder": "the photo is WLT and no WLT decoder is configured",
  /** The vendor WLT library refused the photo or returned an unusable image. */
  "wlt-decode-failed": "the vendor WLT decoder failed",
  /** A JPEG or WebP photo (simulated card) is corrupt or not decodable. */
  "image-decode-failed": "the JPEG or WebP photo could not be decoded",
  /** The bytes are not a photo format this decoder handles. */
  "unsupported-format": "the photo format is not supported",
  /** A simulated-card image is larger than a chip photo can be (1024 bytes). */
  "photo-too-large": "the photo is larger than a chip photo can be",
} as const;

/** Union of the keys of {@linkcode PHOTO_DECODE_FAILURES}. */
export type PhotoDecodeFailureCode = keyof typeof PHOTO_DECODE_FAILURES;

/** The failure branch of {@linkcode PhotoDecodeResult}. */
export interface PhotoDecodeFailure {
  readonly ok: false;
  readonly code: PhotoDecodeFailureCode;
  /** For logs and staff screens; never contains photo bytes. */
  readonly message: string;
}

/** What {@linkcode PhotoDecoder.decode} returns. */
export type PhotoDecodeResult = { readonly ok: true; readonly photo: DecodedPhoto } | PhotoDecodeFailure;

/**
 * Decodes one card photo. Implementations return a failure value for bad
 * bytes and never throw for them; they may throw a {@linkcode KioskError}
 * for a broken environment (a configured library that cannot be loaded).
 */
export interface PhotoDecoder {
  decode(bytes: Uint8Array): Promise<PhotoDecodeResult>;
}

/** The message of the `no-wlt-decoder` failure, shown to staff as is. */
export const NO_WLT_DECODER_MESSAGE = "chip photo cannot be decoded: no WLT decoder configured";

/** Builds a failure value. */
export function photoDecodeFailure(code: PhotoDecodeFailureCode, message: string): PhotoDecodeFailure {
  return { ok: false, code, message };
}

// WltRS.dll GetBmp return codes (spec §4). libwlt2bmp-style `unpack()` is only
// known to return 1 on success; vendors reuse these numbers, so they are the
// best available reading of any other value.
const WLT_RETURN_CODES: ReadonlyMap<number, string> = new Map([
  [0, "error calling the reader SDK (sdtapi)"],
  [-1, "photo decode error"],
  [-2, "wrong .wlt file suffix"],
  [-3, "cannot open the .wlt file"],
  [-4, "bad WLT format"],
  [-5, "decoder software not licensed for this reader's SAM"],
  [-6, "device connection error"],
]);

/** The value a vendor WLT decoder returns on success (spec §4, §8.1). */
export const WLT_DECODE_OK = 1;

/**
 * Reads a vendor WLT decoder's return code (WltRS `GetBmp` numbering, spec
 * §4), for messages.
 *
 * @example
 * ```ts
 * describeWltReturnCode(-4); // "bad WLT format"
 * ```
 */
export function describeWltReturnCode(code: number): string {
  if (code === WLT_DECODE_OK) return "success";
  return WLT_RETURN_CODES.get(code) ?? "unknown return code";
}

/**
 * Returns the decoded photo, or throws for a caller that cannot go on
 * without one.
 *
 * @throws {KioskError} `photo-undecodable`, with the failure code in `details.reason`.
 */
export function requireDecodedPhoto(result: PhotoDecodeResult): DecodedPhoto {
  if (result.ok) return result.photo;
  throw new KioskError("photo-undecodable", result.message, { details: { reason: result.code } });
}
