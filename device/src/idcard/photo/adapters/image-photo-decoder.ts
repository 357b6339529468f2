/**
 * Decodes the JPEG or WebP photos of simulated cards (and decoding bridges)
 * to raw RGB with sharp. A real chip stores WLT; these images stand in for
 * it, so they are held to the chip's limits: at most 1024 bytes, normally
 * 102×126.
 */
import sharp from "sharp";
import { sniffPhotoFormat } from "../../protocol/base-message.ts";
import { PHOTO_BYTES } from "../../protocol/constants.ts";
import { photoDecodeFailure, RGB_CHANNELS, type PhotoDecodeResult, type PhotoDecoder } from "../photo-decoder.ts";

/** Largest image, in pixels, decoded by default: far above 102×126, far below what a 1024-byte bomb can claim. */
export const DEFAULT_MAX_IMAGE_PIXELS = 1_000_000;

/** Options of {@linkcode ImagePhotoDecoder}. */
export interface ImagePhotoDecoderOptions {
  /** Largest accepted input in bytes. Default 1024, the chip's photo size (spec §8). */
  readonly maxBytes?: number;
  /**
   * Largest accepted width × height. Default {@linkcode DEFAULT_MAX_IMAGE_PIXELS}.
   * A few hundred bytes of WebP can declare a 3000×3000 image, so the limit
   * is checked from the header before any pixel is decoded.
   */
  readonly maxPixels?: number;
}

/**
 * A {@linkcode PhotoDecoder} for JPEG and WebP. Alpha is dropped; the image
 * is neither resized nor rotated, so the reported width and height are those
 * stored in the file.
 */
export class ImagePhotoDecoder implements PhotoDecoder {
  readonly #maxBytes: number;
  readonly #maxPixels: number;

  /** @throws {RangeError} when a limit is not a positive integer. */
  constructor(options: ImagePhotoDecoderOptions = {}) {
    this.#maxBytes = positiveInteger("maxBytes", options.maxBytes ?? PHOTO_BYTES);
    this.#maxPixels = positiveInteger("maxPixels", options.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS);
  }

  /** Decodes `bytes`; every problem with them is a failure value, never an exception. */
  async decode(bytes: Uint8Array): Promise<PhotoDecodeResult> {
    const format = sniffPhotoFormat(bytes);
    if (format !== "jpeg" && format !== "webp") {
      return photoDecodeFailure("unsupported-format", `Cannot decode a "${format}" photo as an image: only JPEG and WebP are accepted`);
    }
    if (bytes.length > this.#maxBytes) {
      return photoDecodeFailure("photo-too-large", `Photo has ${bytes.length} bytes: a card photo has at most ${this.#maxBytes}`);
    }
    try {
      // failOn "warning": a truncated photo must fail rather than be matched
      // against a face with its missing rows filled in grey.
      const { data, info } = await sharp(bytes, { failOn: "warning", limitInputPixels: this.#maxPixels })
        .removeAlpha()
        // Greyscale and CMYK files would otherwise come out with 1 or 4 channels.
        .toColourspace("srgb")
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== RGB_CHANNELS || data.length !== info.width * info.height * RGB_CHANNELS) {
        return photoDecodeFailure("image-decode-failed", `Decoded ${format} photo has ${info.channels} channels and ${data.length} bytes: expected RGB`);
      }
      const rgb = new Uint8Array(data.buffer, data.byteOffset, data.length);
      return { ok: true, photo: { format, width: info.width, height: info.height, rgb } };
    } catch (error) {
      // libvips appends one line per warning; the first says what went wrong.
      const reason = error instanceof Error ? (error.message.split("\n", 1)[0] ?? "") : String(error);
      return photoDecodeFailure("image-decode-failed", `Cannot decode the ${format} photo: ${reason}`);
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`Invalid "${name}" ${value}: expected a positive integer`);
  return value;
}
