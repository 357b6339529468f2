/**
 * Synthetic camera sequences made from one still photo, for exercising the
 * quality gate and the liveness challenge on real frames through the real
 * engine (`./kiosk face sequence`):
 *
 * - `still`: the photo held up to the camera (a printed-photo attack): the
 *   same picture every frame, with a pixel or two of hand shake and a little
 *   exposure flicker.
 * - `blink`: the eyes painted shut for a few frames, over the eye contours
 *   of the face mesh the engine found on the photo.
 * - `turn-left` / `turn-right`: the head turned towards the subject's own
 *   left or right and back, by a smooth horizontal warp that moves the
 *   nose towards one side while the face outline stays, squeezing the far
 *   cheek (a flat photo cannot really turn; the mesh still reads it as yaw).
 *
 * Everything here is plain pixel arithmetic on {@linkcode RgbImage}s; the
 * caller decodes and encodes files.
 */
import type { FaceBox, RgbImage } from "../../ports.ts";
import { assertRgbImage } from "./rgb-image.ts";

/** Kinds of sequence {@linkcode makeFaceSequence} makes. */
export const SEQUENCE_KINDS = ["still", "blink", "turn-left", "turn-right"] as const;

/** One of {@linkcode SEQUENCE_KINDS}. */
export type SequenceKind = (typeof SEQUENCE_KINDS)[number];

/** A point in image pixels. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/**
 * Mesh indices (MediaPipe face-mesh topology) of each eye's contour, in
 * order around the eye. "left"/"right" are the subject's.
 */
export const EYE_CONTOURS = {
  left: [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466],
  right: [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246],
} as const;

/** Options of {@linkcode makeFaceSequence}. */
export interface FaceSequenceOptions {
  /** Frames to make; at least 5 (blink and turn need room to start open/frontal and end so). */
  readonly frames: number;
  /** Random numbers in [0, 1) for the still photo's jitter; inject a seeded one for repeatable output. */
  readonly random?: () => number;
  /**
   * Peak nose shift of a turn, as a fraction of the face width (default
   * 0.15: on the 47 London subjects of the studio dev list, with the photo
   * at 200 to 640 px, the mesh's nose offset changes by 0.32–0.53 while the
   * face's embedding stays at cosine ≥ 0.925 to the frontal one; at 0.2 the
   * embedding of 4 in 94 turns fell below the challenge's 0.92 swap floor).
   */
  readonly turnShift?: number;
}

/** Mesh indices (MediaPipe topology) the turn warp is placed by: nose tip, face outline at cheek height on the image's left and right. */
const TURN_NOSE_TIP = 1;
const TURN_OUTLINE = [234, 454] as const;

/** Smallest number of frames of a sequence. */
export const MIN_SEQUENCE_FRAMES = 5;

/**
 * Makes the frames of a `kind` sequence from `photo`, whose face (the main
 * face the engine found) has the box `box` and the 478 mesh points
 * `landmarks`.
 *
 * @throws {RangeError} when `frames` is below {@linkcode MIN_SEQUENCE_FRAMES}
 *   or the image is malformed.
 */
export function makeFaceSequence(photo: RgbImage, face: { readonly box: FaceBox; readonly landmarks: readonly Point[] }, kind: SequenceKind, options: FaceSequenceOptions): RgbImage[] {
  assertRgbImage(photo);
  const n = options.frames;
  if (!Number.isInteger(n) || n < MIN_SEQUENCE_FRAMES) throw new RangeError(`Invalid frame count "${n}": expected a whole number of at least ${MIN_SEQUENCE_FRAMES}`);
  const random = options.random ?? Math.random;
  switch (kind) {
    case "still":
      return Array.from({ length: n }, () => jitter(photo, Math.round(random() * 4 - 2), Math.round(random() * 4 - 2), 0.97 + random() * 0.06));
    case "blink": {
      // Open, open, shut for about a third of the frames (at least one), open again.
      const shut = paintEyesShut(photo, face.landmarks);
      const closedFrames = Math.max(1, Math.round(n / 3));
      const first = Math.max(2, Math.floor((n - closedFrames) / 2));
      return Array.from({ length: n }, (_, i) => (i >= first && i < first + closedFrames ? shut : photo));
    }
    case "turn-left":
    case "turn-right": {
      // Frontal, a ramp up to the peak turn, held, then back to frontal.
      const peak = options.turnShift ?? 0.15;
      const sign = kind === "turn-left" ? 1 : -1;
      const profile = turnProfile(n);
      return profile.map((t) => (t === 0 ? photo : turnHead(photo, face, sign * peak * t)));
    }
  }
}

/** Turn amounts 0–1 per frame: frontal, half, the peak held, half, frontal. */
function turnProfile(n: number): number[] {
  const out: number[] = [0, 0.5];
  while (out.length < n - 2) out.push(1);
  out.push(0.5, 0);
  return out.slice(0, n);
}

/**
 * The photo shifted by (`dx`, `dy`) pixels (edges replicated) with its
 * values scaled by `gain`: a hand-held print moving slightly under the light.
 */
export function jitter(src: RgbImage, dx: number, dy: number, gain: number): RgbImage {
  const { width, height, data } = src;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(y - dy, 0), height - 1);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max(x - dx, 0), width - 1);
      const s = (sy * width + sx) * 3;
      const d = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[d + c] = Math.min(255, Math.round((data[s + c] as number) * gain));
    }
  }
  return { width, height, data: out };
}

/**
 * The photo with both eyes painted shut: each eye's contour (from the mesh,
 * enlarged to cover lashes and lids) filled with skin colour sampled below the
 * eye, feathered at the edge, with a dark lash line across the middle.
 *
 * @throws {RangeError} when `landmarks` lacks the eye contour points.
 */
export function paintEyesShut(src: RgbImage, landmarks: readonly Point[]): RgbImage {
  const out = { width: src.width, height: src.height, data: new Uint8Array(src.data) };
  for (const contour of [EYE_CONTOURS.left, EYE_CONTOURS.right]) {
    const points = contour.map((i) => {
      const p = landmarks[i];
      if (!p) throw new RangeError(`Missing face-mesh point "${i}": expected 478 landmarks, got ${landmarks.length}`);
      return p;
    });
    paintEye(out, points);
  }
  return out;
}

/**
 * How an eye is painted shut, chosen on the fixtures so that the engine's
 * mesh reads both eyes as shut (mean openness 0.13–0.16 against 0.40–0.45
 * open): the contour grown 1.6× vertically plus 0.2 eye widths, and the lash
 * line 0.2 eye widths below the eye's centre (a closed upper lid covers the
 * eyeball), half as bright as the skin.
 */
const EYE_PAINT = { grow: 1.6, extra: 0.2, lashDrop: 0.2, lashDark: 0.5 } as const;

function paintEye(img: { width: number; height: number; data: Uint8Array }, contour: readonly Point[]): void {
  const style = EYE_PAINT;
  const cx = contour.reduce((s, p) => s + p.x, 0) / contour.length;
  const cy = contour.reduce((s, p) => s + p.y, 0) / contour.length;
  const xs = contour.map((p) => p.x);
  const eyeWidth = Math.max(...xs) - Math.min(...xs);
  // Enlarge the contour so that the whole iris, the lid crease and the lashes are covered.
  const poly = contour.map((p) => ({ x: cx + (p.x - cx) * 1.25, y: cy + (p.y - cy) * style.grow + Math.sign(p.y - cy) * eyeWidth * style.extra }));
  const skin = meanColour(img, cx, cy + eyeWidth * 0.55, Math.max(2, eyeWidth * 0.12));
  const feather = Math.max(1.5, eyeWidth * 0.08);
  const x0 = Math.max(0, Math.floor(Math.min(...poly.map((p) => p.x)) - feather));
  const x1 = Math.min(img.width - 1, Math.ceil(Math.max(...poly.map((p) => p.x)) + feather));
  const y0 = Math.max(0, Math.floor(Math.min(...poly.map((p) => p.y)) - feather));
  const y1 = Math.min(img.height - 1, Math.ceil(Math.max(...poly.map((p) => p.y)) + feather));
  const lash = Math.max(1, eyeWidth * 0.04);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const d = signedDistance(poly, x + 0.5, y + 0.5);
      const alpha = Math.min(1, Math.max(0, 0.5 - d / feather));
      if (alpha <= 0) continue;
      // The closed lids meet on a line through the eye corners, curving down a little.
      const u = (x - cx) / (eyeWidth * 0.625);
      const lineY = cy + eyeWidth * style.lashDrop * (1 - u * u);
      const onLash = Math.abs(u) < 1 && Math.abs(y + 0.5 - lineY) < lash;
      const i = (y * img.width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const target = onLash ? (skin[c] as number) * style.lashDark : (skin[c] as number);
        img.data[i + c] = Math.round((img.data[i + c] as number) * (1 - alpha) + target * alpha);
      }
    }
  }
}

function meanColour(img: RgbImage, cx: number, cy: number, r: number): [number, number, number] {
  const sum = [0, 0, 0];
  let count = 0;
  for (let y = Math.max(0, Math.round(cy - r)); y <= Math.min(img.height - 1, Math.round(cy + r)); y++) {
    for (let x = Math.max(0, Math.round(cx - r)); x <= Math.min(img.width - 1, Math.round(cx + r)); x++) {
      const i = (y * img.width + x) * 3;
      for (let c = 0; c < 3; c++) sum[c] = (sum[c] as number) + (img.data[i + c] as number);
      count++;
    }
  }
  return count === 0 ? [128, 128, 128] : [(sum[0] as number) / count, (sum[1] as number) / count, (sum[2] as number) / count];
}

/** Distance from (x, y) to the polygon's outline: negative inside, positive outside. */
function signedDistance(poly: readonly Point[], x: number, y: number): number {
  let inside = false;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const a = poly[i] as Point;
    const b = poly[j] as Point;
    if (a.y > y !== b.y > y && x < ((b.x - a.x) * (y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
    const ex = b.x - a.x;
    const ey = b.y - a.y;
    const len2 = ex * ex + ey * ey;
    const t = len2 > 0 ? Math.min(1, Math.max(0, ((x - a.x) * ex + (y - a.y) * ey) / len2)) : 0;
    best = Math.min(best, Math.hypot(x - (a.x + t * ex), y - (a.y + t * ey)));
  }
  return inside ? -best : best;
}

/**
 * The head turned by a smooth horizontal warp: pixels on the face's middle
 * line move by `shift` × face width (positive: towards the image's right,
 * which is the subject's own left when the camera faces them), falling off
 * to nothing at the face outline, so the nose moves against the outline,
 * the near cheek stretches and the far one is squeezed. Rows far above or
 * below the face are left alone. The face's width and middle are read from
 * the mesh (outline at cheek height, nose tip), its height from `box`.
 *
 * @throws {RangeError} when `|shift|` is 0.3 or more (the warp would fold)
 *   or the mesh lacks the nose or outline points.
 */
export function turnHead(src: RgbImage, face: { readonly box: FaceBox; readonly landmarks: readonly Point[] }, shift: number): RgbImage {
  // Beyond 1/π of the face width the warp is no longer monotonic and would fold the image.
  if (!(Math.abs(shift) < 0.3)) throw new RangeError(`Invalid turn shift "${shift}": expected a fraction of the face width below 0.3`);
  const nose = face.landmarks[TURN_NOSE_TIP];
  const left = face.landmarks[TURN_OUTLINE[0]];
  const right = face.landmarks[TURN_OUTLINE[1]];
  if (!nose || !left || !right || !(right.x > left.x)) throw new RangeError("The face mesh lacks the nose tip or the face outline: expected the 478 mesh points");
  const { width, height, data } = src;
  const out = new Uint8Array(data.length);
  const faceWidth = right.x - left.x;
  const cx = (left.x + right.x) / 2;
  const cy = nose.y;
  // The shift fades to nothing at the face outline, so the outline stays
  // while the nose and eyes move.
  const radiusX = faceWidth / 2;
  const radiusY = face.box.height * 0.9;
  const s = shift * faceWidth;
  for (let y = 0; y < height; y++) {
    // Full strength over the face's height, fading out above and below it.
    const v = (y - cy) / radiusY;
    const wy = Math.abs(v) >= 1.5 ? 0 : Math.abs(v) <= 0.7 ? 1 : Math.cos(((Math.abs(v) - 0.7) / 0.8) * (Math.PI / 2)) ** 2;
    for (let x = 0; x < width; x++) {
      const u = (x - cx) / radiusX;
      const wx = Math.abs(u) >= 1 ? 0 : Math.cos((u * Math.PI) / 2) ** 2;
      const sx = Math.min(Math.max(x - s * wx * wy, 0), width - 1);
      const xa = Math.floor(sx);
      const xb = Math.min(xa + 1, width - 1);
      const f = sx - xa;
      const d = (y * width + x) * 3;
      const a = (y * width + xa) * 3;
      const b = (y * width + xb) * 3;
      for (let c = 0; c < 3; c++) out[d + c] = Math.round((data[a + c] as number) * (1 - f) + (data[b + c] as number) * f);
    }
  }
  return { width, height, data: out };
}
