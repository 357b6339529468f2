/**
 * Decodes camera frames to packed RGB for the face engine with sharp
 * (libvips + libjpeg-turbo: ≈6 ms for 1280×720, 4× faster than jpeg-js;
 * toolchain.md row 3f).
 */
import sharp from "sharp";
import type { CameraFrame, FrameDecoder, RgbFrame } from "../camera.ts";

/**
 * A {@linkcode FrameDecoder} over sharp. Greyscale frames (an infrared
 * sensor) come out as RGB too, with the three channels equal, so the face
 * engine sees one layout.
 *
 * Damaged frames (a truncated scan, corrupt data) are rejected rather than
 * decoded with grey blocks, which would skew a face comparison.
 *
 * @example
 * ```ts
 * const decoder = new JpegFrameDecoder();
 * const { width, height, data } = await decoder.decode(await camera.nextFrame());
 * ```
 */
export class JpegFrameDecoder implements FrameDecoder {
  /**
   * Decodes `frame.bytes` to `width × height × 3` bytes, row by row, R G B.
   * @throws {SyntaxError} when the bytes are not a whole, decodable JPEG.
   */
  async decode(frame: Pick<CameraFrame, "bytes">): Promise<RgbFrame> {
    const bytes = frame.bytes;
    // Checked first so a PNG or a WebP handed in by mistake fails here, not in the face engine.
    if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
      throw new SyntaxError(`Cannot decode frame of ${bytes.length} bytes: it does not start with a JPEG SOI marker`);
    }
    try {
      const { data, info } = await sharp(bytes, { failOn: "warning" })
        .toColourspace("srgb")
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
      return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    } catch (error) {
      throw new SyntaxError(`Cannot decode JPEG frame of ${bytes.length} bytes: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
