/**
 * Geometry that turns a detected face into the square, upright "face chip"
 * the recognition network was trained on. Pure functions over RGB bytes:
 * no tfjs, so they run anywhere and are tested with exact numbers.
 */
import { downscaleBox, type RgbImage } from "./rgb-image.ts";

/** A point in image pixels (x to the right, y down). */
export interface PixelPoint {
  readonly x: number;
  readonly y: number;
}

/**
 * A 2-D similarity transform (rotation, uniform scale, translation):
 * `x' = a·x − b·y + tx`, `y' = b·x + a·y + ty`.
 */
export interface Similarity {
  readonly a: number;
  readonly b: number;
  readonly tx: number;
  readonly ty: number;
}

/**
 * dlib's 5-point face template on the unit square, in the order of dlib's
 * 5-point shape predictor: the image-right eye's outer then inner corner, the
 * image-left eye's outer then inner corner, the base of the nose. dlib's
 * `get_face_chip_details` (dlib/image_transforms/interpolation.h) maps these
 * points onto the chip; the face recognition ResNet that face-api ships was
 * trained by dlib on chips made this way (150 px, padding 0.25).
 */
export const DLIB_TEMPLATE_5: readonly PixelPoint[] = [
  { x: 0.8595674595992, y: 0.2134981538014 },
  { x: 0.6460604764104, y: 0.2289674387677 },
  { x: 0.1205750620789, y: 0.2137274526848 },
  { x: 0.3340850613712, y: 0.2290642403242 },
  { x: 0.4901123135679, y: 0.6277975316475 },
];

/**
 * Indices into human's 478-point face mesh (MediaPipe topology) closest to
 * dlib's five points, in {@linkcode DLIB_TEMPLATE_5} order: 263 and 362 are
 * the corners of the eye on the image's right, 33 and 133 those of the eye on
 * the left, 2 is the point under the nose tip.
 */
export const MESH_DLIB_5 = [263, 362, 33, 133, 2] as const;

/**
 * Indices into the 68-point iBUG-300W layout (dlib's 68-point predictor,
 * face-api's landmark net) of dlib's five points, in
 * {@linkcode DLIB_TEMPLATE_5} order: eye corners 45 and 42, 36 and 39, and
 * 33 under the nose tip.
 */
export const LANDMARK68_DLIB_5 = [45, 42, 36, 39, 33] as const;

/**
 * The least-squares similarity transform taking `from[i]` onto `to[i]`
 * (Umeyama 1991, without reflection).
 *
 * @throws {RangeError} when fewer than two point pairs are given, the lists
 *   differ in length, or all `from` points coincide.
 */
export function fitSimilarity(from: readonly PixelPoint[], to: readonly PixelPoint[]): Similarity {
  if (from.length !== to.length || from.length < 2) {
    throw new RangeError(`Cannot fit a similarity transform: expected two or more point pairs, got ${from.length} and ${to.length}`);
  }
  const n = from.length;
  let fx = 0, fy = 0, tx = 0, ty = 0;
  for (let i = 0; i < n; i++) {
    const p = from[i] as PixelPoint;
    const q = to[i] as PixelPoint;
    fx += p.x; fy += p.y; tx += q.x; ty += q.y;
  }
  fx /= n; fy /= n; tx /= n; ty /= n;
  // With centred points, the optimal a and b are the normalised dot and cross
  // products between the two point sets.
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const p = from[i] as PixelPoint;
    const q = to[i] as PixelPoint;
    const px = p.x - fx, py = p.y - fy, qx = q.x - tx, qy = q.y - ty;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (norm === 0) throw new RangeError("Cannot fit a similarity transform: the source points coincide");
  const a = dot / norm;
  const b = cross / norm;
  return { a, b, tx: tx - (a * fx - b * fy), ty: ty - (b * fx + a * fy) };
}

/** Applies `t` to `p`. */
export function applySimilarity(t: Similarity, p: PixelPoint): PixelPoint {
  return { x: t.a * p.x - t.b * p.y + t.tx, y: t.b * p.x + t.a * p.y + t.ty };
}

/**
 * The inverse of `t`.
 *
 * @throws {RangeError} when `t` has zero scale.
 */
export function invertSimilarity(t: Similarity): Similarity {
  const det = t.a * t.a + t.b * t.b;
  if (det === 0) throw new RangeError("Cannot invert a similarity transform of zero scale");
  const a = t.a / det;
  const b = -t.b / det;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

/**
 * The transform from image pixels to a `size`×`size` chip that puts the five
 * landmarks where dlib puts them, with `padding` (a fraction of the template
 * square) on every side.
 */
export function dlibChipTransform(landmarks5: readonly PixelPoint[], size: number, padding: number): Similarity {
  const scale = size / (1 + 2 * padding);
  const to = DLIB_TEMPLATE_5.map((p) => ({ x: (p.x + padding) * scale, y: (p.y + padding) * scale }));
  return fitSimilarity(landmarks5, to);
}

/**
 * Resamples `src` into a `width`×`height` RGB image: output pixel (u, v) takes
 * the bilinear sample at `toSource(u + ½, v + ½)`. Samples outside `src` are
 * black, as in dlib's chip extraction.
 *
 * @param toSource maps output coordinates to source coordinates (the inverse of
 *   the image→chip transform).
 */
export function warpSimilarity(src: RgbImage, toSource: Similarity, width: number, height: number = width): RgbImage {
  const out = new Uint8Array(width * height * 3);
  const { data } = src;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      const cx = u + 0.5, cy = v + 0.5;
      // Pixel centres sit at integer + ½, so shift back to index space.
      const x = toSource.a * cx - toSource.b * cy + toSource.tx - 0.5;
      const y = toSource.b * cx + toSource.a * cy + toSource.ty - 0.5;
      const x0 = Math.floor(x), y0 = Math.floor(y);
      const dx = x - x0, dy = y - y0;
      const o = (v * width + u) * 3;
      for (let c = 0; c < 3; c++) {
        const p00 = sample(src, x0, y0, c);
        const p10 = sample(src, x0 + 1, y0, c);
        const p01 = sample(src, x0, y0 + 1, c);
        const p11 = sample(src, x0 + 1, y0 + 1, c);
        const top = p00 + (p10 - p00) * dx;
        const bottom = p01 + (p11 - p01) * dx;
        out[o + c] = Math.round(top + (bottom - top) * dy);
      }
    }
  }
  return { width, height, data: out };
}

function sample(src: RgbImage, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= src.width || y >= src.height) return 0;
  return src.data[(y * src.width + x) * 3 + c] as number;
}

/**
 * Cuts the upright `size`×`size` chip of the face whose five landmarks
 * (in {@linkcode DLIB_TEMPLATE_5} order) are given. When the face must shrink
 * by more than half, the image is first box-averaged by an integer factor so
 * the bilinear warp does not alias.
 */
export function alignFaceChip(image: RgbImage, landmarks5: readonly PixelPoint[], size: number, padding: number): RgbImage {
  const toChip = dlibChipTransform(landmarks5, size, padding);
  const factor = Math.floor(1 / Math.hypot(toChip.a, toChip.b));
  if (factor < 2) return warpSimilarity(image, invertSimilarity(toChip), size);
  // Pixel centres map as (p + ½)/k − ½ under a k-fold box downscale.
  const small = downscaleBox(image, factor);
  const points = landmarks5.map((p) => ({ x: (p.x + 0.5) / factor - 0.5, y: (p.y + 0.5) / factor - 0.5 }));
  return warpSimilarity(small, invertSimilarity(dlibChipTransform(points, size, padding)), size);
}
