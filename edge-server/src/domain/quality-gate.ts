/**
 * The capture-quality gate: decides from one analysed camera frame whether
 * the applicant's face is good enough to match, and if not, what to tell
 * them. Pure: it reads the engine's measures and compares them with the
 * configured limits (`face.quality`, see `quality-gate-config.ts`).
 *
 * Bystanders only count (for "one person at a time"); nothing about them is
 * read beyond their box size, and nothing is kept.
 */
import { GUIDANCE_CODES, type GuidanceCode } from "@kiosk/contracts";

// The codes are part of the result contract (a face attempt's reasons), so they are defined there.
export { GUIDANCE_CODES, type GuidanceCode };

/** The limits of the gate; the `face.quality` settings satisfy it. */
export interface QualityThresholds {
  /** Smallest face (longer box side) in pixels. */
  readonly minFaceSizePx: number;
  /** Largest face as a fraction of the frame's shorter side. */
  readonly maxFaceFraction: number;
  /** Largest |centre offset| on either axis, as a fraction of the frame side. */
  readonly maxCentreOffset: number;
  readonly maxYawDeg: number;
  readonly maxPitchDeg: number;
  readonly maxRollDeg: number;
  /** Mean luma range (0–255) of the face box. */
  readonly minBrightness: number;
  readonly maxBrightness: number;
  /** Smallest variance of the Laplacian (luma²). */
  readonly minSharpness: number;
  /** Smallest mean openness of both eyes. */
  readonly minEyeOpenness: number;
  /** Another face at least this fraction of the applicant's size is a second person. */
  readonly bystanderMinSizeRatio: number;
}

/** What the gate reads of a face: a subset of the engine's `FaceSummary`. */
export interface GateFace {
  readonly pose: { readonly yawDeg: number; readonly pitchDeg: number; readonly rollDeg: number };
  readonly quality: {
    readonly faceSizePx: number;
    readonly centreOffset: { readonly x: number; readonly y: number };
    readonly brightness: number;
    readonly sharpness: number;
    readonly eyeOpenness: { readonly left: number; readonly right: number };
  };
}

/** What the gate reads of a frame: a subset of the engine's `FrameAnalysis`. */
export interface GateFrame {
  readonly width: number;
  readonly height: number;
  readonly main: GateFace | undefined;
  readonly others: readonly { readonly quality: { readonly faceSizePx: number } }[];
}

/**
 * The gate's verdict: `ok` with no codes, or every failed check in
 * {@linkcode GUIDANCE_CODES} order (`codes[0]` is the guidance to show).
 */
export type QualityVerdict = { readonly ok: true; readonly codes: readonly [] } | { readonly ok: false; readonly codes: readonly [GuidanceCode, ...GuidanceCode[]] };

/**
 * Checks one frame against `limits`.
 *
 * `no-face` is reported alone. `multiple-faces` counts only faces at least
 * `bystanderMinSizeRatio` of the applicant's size. `face-the-camera` covers
 * yaw, pitch and roll. `eyes-closed` uses the mean of both eyes, so a wink or
 * one badly tracked eye does not block the applicant.
 *
 * @example
 * ```ts
 * const verdict = assessQuality(await engine.analyze(frame), config.face.quality);
 * if (!verdict.ok) showGuidance(verdict.codes[0]);
 * ```
 */
export function assessQuality(frame: GateFrame, limits: QualityThresholds): QualityVerdict {
  const main = frame.main;
  if (!main) return { ok: false, codes: ["no-face"] };
  const q = main.quality;
  const failed = new Set<GuidanceCode>();
  if (countBystanders(frame, limits.bystanderMinSizeRatio) > 0) failed.add("multiple-faces");
  if (q.faceSizePx < limits.minFaceSizePx) failed.add("too-far");
  if (q.faceSizePx > limits.maxFaceFraction * Math.min(frame.width, frame.height)) failed.add("too-close");
  if (Math.abs(q.centreOffset.x) > limits.maxCentreOffset || Math.abs(q.centreOffset.y) > limits.maxCentreOffset) failed.add("off-center");
  const pose = main.pose;
  if (Math.abs(pose.yawDeg) > limits.maxYawDeg || Math.abs(pose.pitchDeg) > limits.maxPitchDeg || Math.abs(pose.rollDeg) > limits.maxRollDeg) {
    failed.add("face-the-camera");
  }
  if (q.brightness < limits.minBrightness) failed.add("too-dark");
  if (q.brightness > limits.maxBrightness) failed.add("too-bright");
  if (q.sharpness < limits.minSharpness) failed.add("blurry");
  if ((q.eyeOpenness.left + q.eyeOpenness.right) / 2 < limits.minEyeOpenness) failed.add("eyes-closed");
  const codes = GUIDANCE_CODES.filter((code) => failed.has(code));
  const [first, ...rest] = codes;
  return first === undefined ? { ok: true, codes: [] } : { ok: false, codes: [first, ...rest] };
}

/**
 * Faces other than the applicant's that are at least `minSizeRatio` of the
 * applicant's size (0 when there is no applicant).
 */
export function countBystanders(frame: Pick<GateFrame, "main" | "others">, minSizeRatio: number): number {
  const main = frame.main;
  if (!main) return 0;
  const floor = minSizeRatio * main.quality.faceSizePx;
  return frame.others.filter((other) => other.quality.faceSizePx >= floor).length;
}
