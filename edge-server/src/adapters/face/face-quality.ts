/**
 * Capture-quality measures of one face in a frame, computed from the RGB
 * pixels and the mesh landmarks in plain JavaScript (no tfjs), so the kiosk
 * can guide the applicant ("come closer", "more light", "hold still", "open
 * your eyes") before a frame is chosen for matching.
 */
import type { FaceBox, FaceQuality } from "../../ports.ts";
import type { PixelPoint } from "./face-align.ts";
import type { RgbImage } from "./rgb-image.ts";

/** Side, in pixels, of the square grey patch that sharpness is measured on. */
export const SHARPNESS_PATCH_PX = 112;

/**
 * Mesh indices of each eye's corners and lids (MediaPipe topology).
 * "left"/"right" are the subject's: the subject's left eye is on the image's
 * right when the camera faces them.
 */
const EYES = {
  left: { outer: 263, inner: 362, upper: 386, lower: 374 },
  right: { outer: 33, inner: 133, upper: 159, lower: 145 },
} as const;

/** Every measure of {@linkcode FaceQuality} for the face at `box` in `frame`. */
export function measureFaceQuality(frame: RgbImage, box: FaceBox, mesh: readonly PixelPoint[]): FaceQuality {
  return {
    faceSizePx: Math.round(Math.max(box.width, box.height)),
    centreOffset: centreOffset(frame, box),
    brightness: meanLuminance(frame, box),
    sharpness: laplacianVariance(frame, box),
    eyeOpenness: eyeOpenness(mesh),
  };
}

/**
 * Offset of the face centre from the frame centre, as a fraction of the
 * frame's width and height: 0 is centred, ±0.5 is at an edge.
 */
export function centreOffset(frame: { readonly width: number; readonly height: number }, box: FaceBox): { x: number; y: number } {
  return {
    x: round3((box.x + box.width / 2) / frame.width - 0.5),
    y: round3((box.y + box.height / 2) / frame.height - 0.5),
  };
}

/** Mean luma (ITU-R BT.601, 0–255) of the pixels inside `box`, clipped to the frame. */
export function meanLuminance(frame: RgbImage, box: FaceBox): number {
  const { x0, y0, x1, y1 } = clip(frame, box);
  if (x1 <= x0 || y1 <= y0) return 0;
  let sum = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) sum += luma(frame.data, (y * frame.width + x) * 3);
  }
  return round3(sum / ((x1 - x0) * (y1 - y0)));
}

/**
 * Sharpness: the variance of the 4-neighbour Laplacian over the face,
 * resampled to a {@linkcode SHARPNESS_PATCH_PX} square first so that faces
 * of different sizes are judged on the same scale (what matters is the detail
 * the recognition chip will get). Low values mean blur; the unit is luma².
 */
export function laplacianVariance(frame: RgbImage, box: FaceBox): number {
  const { x0, y0, x1, y1 } = clip(frame, box);
  if (x1 - x0 < 3 || y1 - y0 < 3) return 0;
  const n = SHARPNESS_PATCH_PX;
  const grey = new Float32Array(n * n);
  const sx = (x1 - x0) / n;
  const sy = (y1 - y0) / n;
  for (let v = 0; v < n; v++) {
    const y = Math.min(Math.max(y0 + (v + 0.5) * sy - 0.5, y0), y1 - 1);
    const ya = Math.floor(y);
    const yb = Math.min(ya + 1, y1 - 1);
    const dy = y - ya;
    for (let u = 0; u < n; u++) {
      const x = Math.min(Math.max(x0 + (u + 0.5) * sx - 0.5, x0), x1 - 1);
      const xa = Math.floor(x);
      const xb = Math.min(xa + 1, x1 - 1);
      const dx = x - xa;
      const w = frame.width;
      const top = luma(frame.data, (ya * w + xa) * 3) * (1 - dx) + luma(frame.data, (ya * w + xb) * 3) * dx;
      const bottom = luma(frame.data, (yb * w + xa) * 3) * (1 - dx) + luma(frame.data, (yb * w + xb) * 3) * dx;
      grey[v * n + u] = top * (1 - dy) + bottom * dy;
    }
  }
  let sum = 0;
  let sumSq = 0;
  const count = (n - 2) * (n - 2);
  for (let v = 1; v < n - 1; v++) {
    for (let u = 1; u < n - 1; u++) {
      const i = v * n + u;
      const lap = (grey[i - 1] as number) + (grey[i + 1] as number) + (grey[i - n] as number) + (grey[i + n] as number) - 4 * (grey[i] as number);
      sum += lap;
      sumSq += lap * lap;
    }
  }
  const mean = sum / count;
  return round3(sumSq / count - mean * mean);
}

/**
 * Eye openness per eye: the gap between the lids divided by the eye's width
 * (corner to corner), the "eye aspect ratio". Open eyes measure about
 * 0.3–0.5 (on human's iris-refined mesh), closed eyes below about 0.15. Zero when the mesh lacks the points.
 */
export function eyeOpenness(mesh: readonly PixelPoint[]): { left: number; right: number } {
  const ratio = (eye: (typeof EYES)["left" | "right"]): number => {
    const outer = mesh[eye.outer];
    const inner = mesh[eye.inner];
    const upper = mesh[eye.upper];
    const lower = mesh[eye.lower];
    if (!outer || !inner || !upper || !lower) return 0;
    const width = Math.hypot(outer.x - inner.x, outer.y - inner.y);
    return width > 0 ? round3(Math.hypot(upper.x - lower.x, upper.y - lower.y) / width) : 0;
  };
  return { left: ratio(EYES.left), right: ratio(EYES.right) };
}

function luma(data: Uint8Array, i: number): number {
  return 0.299 * (data[i] as number) + 0.587 * (data[i + 1] as number) + 0.114 * (data[i + 2] as number);
}

function clip(frame: RgbImage, box: FaceBox): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.max(0, Math.floor(box.x)),
    y0: Math.max(0, Math.floor(box.y)),
    x1: Math.min(frame.width, Math.ceil(box.x + box.width)),
    y1: Math.min(frame.height, Math.ceil(box.y + box.height)),
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
