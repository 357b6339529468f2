/**
 * Decodes image files (JPEG, WebP, PNG, …) into packed RGB with sharp
 * (libvips). Alpha is dropped and EXIF orientation applied, so what the
 * engine sees is what a person sees.
 */
import sharp, { type Metadata } from "sharp";
import type { RgbImage } from "../../ports.ts";

/** Largest side, in pixels, accepted from a file; larger images are refused before decoding. */
export const MAX_DECODE_SIDE_PX = 8192;

/**
 * Decodes `bytes` to RGB.
 *
 * @throws {SyntaxError} when the bytes are not an image sharp can read.
 * @throws {RangeError} when the image is larger than {@linkcode MAX_DECODE_SIDE_PX} on a side.
 */
export async function decodeImage(bytes: Uint8Array): Promise<RgbImage> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes).metadata();
  } catch (cause) {
    throw new SyntaxError(`Cannot decode image: ${(cause as Error).message}`, { cause });
  }
  if ((meta.width ?? 0) > MAX_DECODE_SIDE_PX || (meta.height ?? 0) > MAX_DECODE_SIDE_PX) {
    throw new RangeError(`Image too large: ${meta.width}x${meta.height}, at most ${MAX_DECODE_SIDE_PX} px a side`);
  }
  const { data, info } = await sharp(bytes).rotate().removeAlpha().toColourspace("srgb").raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new SyntaxError(`Cannot decode image to RGB: got ${info.channels} channels`);
  // A fresh, exactly sized buffer: it can then be transferred to a worker.
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Encodes RGB as a JPEG of quality `quality` (for fixtures and debugging output). */
export async function encodeJpeg(image: RgbImage, quality = 90): Promise<Uint8Array> {
  const out = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(out);
}

/** Resizes `image` to exactly `width`×`height` (cover, centred crop) with sharp's Lanczos filter. */
export async function resizeCover(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  const { data, info } = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: "cover" })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
