/**
 * Small pure operations on packed 8-bit RGB images: validation, bilinear
 * resizing and padding. They prepare the tiny chip photo for detection
 * without a round trip through an image codec.
 */
import type { RgbImage } from "../../ports.ts";

export type { RgbImage };

/**
 * Checks that `image` is a packed RGB image of its stated size.
 *
 * @throws {RangeError} when the size is not a positive integer or the byte
 *   count is not width × height × 3.
 */
export function assertRgbImage(image: RgbImage): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`Invalid image size "${width}x${height}": expected positive integers`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(`Invalid RGB image: expected ${width * height * 3} bytes for ${width}x${height}, got ${data.length}`);
  }
}

/** Resizes `src` to `width`×`height` with bilinear interpolation (pixel-centre aligned). */
export function resizeBilinear(src: RgbImage, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let v = 0; v < height; v++) {
    const y = Math.min(Math.max((v + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(y);
    const y1 = Math.min(y0 + 1, src.height - 1);
    const dy = y - y0;
    for (let u = 0; u < width; u++) {
      const x = Math.min(Math.max((u + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(x);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const dx = x - x0;
      const o = (v * width + u) * 3;
      for (let c = 0; c < 3; c++) {
        const p00 = src.data[(y0 * src.width + x0) * 3 + c] as number;
        const p10 = src.data[(y0 * src.width + x1) * 3 + c] as number;
        const p01 = src.data[(y1 * src.width + x0) * 3 + c] as number;
        const p11 = src.data[(y1 * src.width + x1) * 3 + c] as number;
        const top = p00 + (p10 - p00) * dx;
        const bottom = p01 + (p11 - p01) * dx;
        out[o + c] = Math.round(top + (bottom - top) * dy);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Surrounds `src` with a border of `border` pixels on every side, filled
 * by replicating the edge pixels (a flat grey or black frame would add a
 * strong edge the detector can mistake for a face outline).
 */
export function padReplicate(src: RgbImage, border: number): RgbImage {
  const width = src.width + 2 * border;
  const height = src.height + 2 * border;
  const out = new Uint8Array(width * height * 3);
  for (let v = 0; v < height; v++) {
    const y = Math.min(Math.max(v - border, 0), src.height - 1);
    for (let u = 0; u < width; u++) {
      const x = Math.min(Math.max(u - border, 0), src.width - 1);
      const s = (y * src.width + x) * 3;
      const o = (v * width + u) * 3;
      out[o] = src.data[s] as number;
      out[o + 1] = src.data[s + 1] as number;
      out[o + 2] = src.data[s + 2] as number;
    }
  }
  return { width, height, data: out };
}

/**
 * Gaussian blur with standard deviation `sigma` pixels (separable, kernel
 * truncated at 3σ, edges replicated). Used to soften the block and ringing
 * artefacts of a 1 KB chip photo once it has been upscaled to the chip size.
 *
 * @throws {RangeError} when `sigma` is negative or not finite.
 */
export function gaussianBlur(src: RgbImage, sigma: number): RgbImage {
  if (!(sigma >= 0) || !Number.isFinite(sigma)) throw new RangeError(`Invalid blur sigma "${sigma}": expected a finite number >= 0`);
  if (sigma === 0) return { width: src.width, height: src.height, data: new Uint8Array(src.data) };
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const kernel = new Float32Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = w;
    total += w;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] = (kernel[i] as number) / total;
  const { width, height } = src;
  const tmp = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -radius; i <= radius; i++) {
          const xx = Math.min(Math.max(x + i, 0), width - 1);
          acc += (kernel[i + radius] as number) * (src.data[(y * width + xx) * 3 + c] as number);
        }
        tmp[(y * width + x) * 3 + c] = acc;
      }
    }
  }
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -radius; i <= radius; i++) {
          const yy = Math.min(Math.max(y + i, 0), height - 1);
          acc += (kernel[i + radius] as number) * (tmp[(yy * width + x) * 3 + c] as number);
        }
        out[(y * width + x) * 3 + c] = Math.round(acc);
      }
    }
  }
  return { width, height, data: out };
}

/**
 * Shrinks `src` by an integer factor, each output pixel the mean of a
 * `factor`×`factor` block (area averaging), so that a later bilinear warp
 * that shrinks further does not alias.
 *
 * @throws {RangeError} when `factor` is not an integer ≥ 1.
 */
export function downscaleBox(src: RgbImage, factor: number): RgbImage {
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`Invalid downscale factor "${factor}": expected an integer >= 1`);
  const width = Math.max(1, Math.floor(src.width / factor));
  const height = Math.max(1, Math.floor(src.height / factor));
  const out = new Uint8Array(width * height * 3);
  const area = factor * factor;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let j = 0; j < factor; j++) {
          const row = (y * factor + j) * src.width;
          for (let i = 0; i < factor; i++) sum += src.data[(row + x * factor + i) * 3 + c] as number;
        }
        out[(y * width + x) * 3 + c] = Math.round(sum / area);
      }
    }
  }
  return { width, height, data: out };
}

/** `src` mirrored left to right. */
export function mirror(src: RgbImage): RgbImage {
  const { width, height } = src;
  const out = new Uint8Array(src.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const s = (y * width + (width - 1 - x)) * 3;
      const o = (y * width + x) * 3;
      out[o] = src.data[s] as number;
      out[o + 1] = src.data[s + 1] as number;
      out[o + 2] = src.data[s + 2] as number;
    }
  }
  return { width, height, data: out };
}
