/**
 * Which live frames take part in the match: the K frames of best quality
 * among those that passed the quality gate. Ranking looks only at the
 * frame's quality, never at its similarity with the chip photo, so however
 * many frames a capture sees, the decision rests on K of them: an impostor
 * gets the K tries the threshold was calibrated for, not one per frame.
 * Pure.
 */
import type { GateFace, QualityThresholds } from "./quality-gate.ts";

/** Eye openness (lid gap over eye width) of eyes wide open. */
const WIDE_OPEN_EYES = 0.3;

/**
 * A frame's quality for ranking, in [0, 1] for a face that passed the gate
 * with `limits` (higher is better): the mean of four parts, each 1 at best
 * and 0 at the gate's limit:
 *
 * - pose: 1 − the largest of |yaw|, |pitch|, |roll| over its limit;
 * - centring: 1 − the larger centre offset over its limit;
 * - sharpness: 1 − the least sharpness over the frame's sharpness;
 * - eyes: the mean openness of both eyes over 0.3 (wide open), at most 1.
 */
export function frameQuality(face: GateFace, limits: QualityThresholds): number {
  const { pose, quality } = face;
  const part = (x: number): number => Math.min(1, Math.max(0, x));
  const posePart = 1 - Math.max(Math.abs(pose.yawDeg) / limits.maxYawDeg, Math.abs(pose.pitchDeg) / limits.maxPitchDeg, Math.abs(pose.rollDeg) / limits.maxRollDeg);
  const centrePart = 1 - Math.max(Math.abs(quality.centreOffset.x), Math.abs(quality.centreOffset.y)) / limits.maxCentreOffset;
  const sharpPart = quality.sharpness > 0 ? 1 - limits.minSharpness / quality.sharpness : 0;
  const eyesPart = (quality.eyeOpenness.left + quality.eyeOpenness.right) / 2 / WIDE_OPEN_EYES;
  return (part(posePart) + part(centrePart) + part(sharpPart) + part(eyesPart)) / 4;
}

/**
 * The K best frames offered so far, by quality; of equal quality, the
 * earlier frame stays. Holds at most K frames at any time.
 */
export class MatchFrames<T> {
  readonly #k: number;
  readonly #kept: { readonly frame: T; readonly quality: number }[] = [];

  /** @throws {RangeError} when `k` is not a whole number of at least 1. */
  constructor(k: number) {
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`Invalid number of match frames "${k}": expected a whole number of at least 1`);
    this.#k = k;
  }

  /** Whether K frames are held. */
  get full(): boolean {
    return this.#kept.length === this.#k;
  }

  /** The frames held, best first. */
  get frames(): readonly T[] {
    return this.#kept.map((k) => k.frame);
  }

  /**
   * Offers a frame of `quality`. Returns the frame that is not kept: the
   * offered one when K better or equal frames are held, the worst held one
   * when the offered frame displaces it, or `undefined` while fewer than K
   * are held. The caller can wipe what is returned.
   */
  offer(frame: T, quality: number): T | undefined {
    let at = this.#kept.findIndex((k) => quality > k.quality);
    if (at < 0) at = this.#kept.length;
    if (at >= this.#k) return frame;
    this.#kept.splice(at, 0, { frame, quality });
    return this.#kept.length > this.#k ? this.#kept.pop()?.frame : undefined;
  }
}
