/**
 * Verification accuracy from lists of genuine (same person) and impostor
 * (different people) similarity scores, following ISO/IEC 19795-1 terms:
 *
 * - a pair is accepted when its score is at or above the threshold;
 * - FAR (false accept rate) = accepted impostors / impostors;
 * - TAR (true accept rate) = accepted genuine pairs / genuine pairs, FRR = 1 − TAR.
 *
 * A pair where either image gave no face has the score −∞: it is never
 * accepted, and it stays in the denominator (it is a failure, not a skip).
 * Thresholds returned here are always finite.
 */

/** Accept and reject rates at one threshold. */
export interface RatesAtThreshold {
  readonly threshold: number;
  /** Share of genuine pairs accepted. */
  readonly tar: number;
  /** Share of impostor pairs accepted. */
  readonly far: number;
  /** Share of genuine pairs rejected (1 − TAR). */
  readonly frr: number;
}

/** TAR at the lowest threshold whose FAR does not exceed a target. */
export interface TarAtFar extends RatesAtThreshold {
  /** The FAR asked for. */
  readonly targetFar: number;
  /**
   * False when there are too few impostors to measure the target (fewer than
   * 1 / target): the threshold then only sits above every impostor score.
   */
  readonly resolvable: boolean;
}

/** The equal error rate and where it occurs. */
export interface EqualErrorRate {
  /** `max(FAR, FRR)` at the threshold where that maximum is smallest. */
  readonly eer: number;
  readonly threshold: number;
}

/** One point of a ROC curve. */
export interface RocPoint {
  readonly threshold: number;
  readonly far: number;
  readonly tar: number;
}

/**
 * Genuine and impostor scores, sorted once for repeated queries.
 *
 * @example
 * ```ts
 * const scores = new VerificationScores([0.9, 0.8, -Infinity], [0.1, 0.5, 0.3]);
 * scores.tarAtFar(1e-3).tar; // 2/3: the no-face pair is a failure
 * ```
 */
export class VerificationScores {
  /** Genuine scores, descending. */
  readonly genuine: readonly number[];
  /** Impostor scores, descending. */
  readonly impostor: readonly number[];

  /**
   * @throws {RangeError} when either list is empty or holds NaN or +∞.
   */
  constructor(genuine: readonly number[], impostor: readonly number[]) {
    this.genuine = sortedDescending(genuine, "genuine");
    this.impostor = sortedDescending(impostor, "impostor");
  }

  /** Number of genuine pairs whose score is −∞ (no face in one of the images). */
  get genuineNoFace(): number {
    return countNoFace(this.genuine);
  }

  /** Number of impostor pairs whose score is −∞. */
  get impostorNoFace(): number {
    return countNoFace(this.impostor);
  }

  /** TAR, FAR and FRR when pairs scoring at or above `threshold` are accepted. */
  ratesAt(threshold: number): RatesAtThreshold {
    const tar = countAtOrAbove(this.genuine, threshold) / this.genuine.length;
    const far = countAtOrAbove(this.impostor, threshold) / this.impostor.length;
    return { threshold, tar, far, frr: 1 - tar };
  }

  /**
   * The lowest threshold at which FAR ≤ `targetFar`: just above the
   * (k+1)-th highest impostor score, k = ⌊target × impostors⌋. This point
   * sits on an impostor score by construction; an operating threshold should
   * keep a margin above it (see `threshold-calibration.ts`).
   *
   * @throws {RangeError} when `targetFar` is not in [0, 1).
   */
  thresholdForFar(targetFar: number): number {
    if (!(targetFar >= 0 && targetFar < 1)) throw new RangeError(`Invalid target FAR "${targetFar}": expected a number in [0, 1)`);
    const allowed = Math.floor(targetFar * this.impostor.length + 1e-9);
    const boundary = this.impostor[allowed] as number;
    return boundary === Number.NEGATIVE_INFINITY ? -Number.MAX_VALUE : nextUp(boundary);
  }

  /** TAR at the lowest threshold meeting `targetFar`. */
  tarAtFar(targetFar: number): TarAtFar {
    const threshold = this.thresholdForFar(targetFar);
    return { ...this.ratesAt(threshold), targetFar, resolvable: targetFar * this.impostor.length >= 1 };
  }

  /**
   * The equal error rate, taken as the smallest `max(FAR, FRR)` over every
   * threshold that changes the outcome (each distinct score, plus one above
   * all). On a step-shaped ROC this is the conservative reading of the point
   * where the two error curves cross.
   */
  equalErrorRate(): EqualErrorRate {
    let best: EqualErrorRate = { eer: 1, threshold: Number.MAX_VALUE };
    for (const point of this.roc()) {
      const worst = Math.max(point.far, 1 - point.tar);
      if (worst < best.eer) best = { eer: worst, threshold: point.threshold };
    }
    return best;
  }

  /**
   * The ROC curve: one point per distinct finite score used as the
   * threshold, from the strictest (FAR 0) to the loosest, plus the point
   * above every score. FAR and TAR never decrease along the list.
   */
  roc(): RocPoint[] {
    const thresholds = [...new Set([...this.genuine, ...this.impostor].filter(Number.isFinite))].sort((a, b) => b - a);
    const points: RocPoint[] = [];
    const top = thresholds[0];
    points.push({ threshold: top === undefined ? Number.MAX_VALUE : nextUp(top), far: 0, tar: 0 });
    let g = 0;
    let i = 0;
    for (const t of thresholds) {
      while (g < this.genuine.length && (this.genuine[g] as number) >= t) g++;
      while (i < this.impostor.length && (this.impostor[i] as number) >= t) i++;
      points.push({ threshold: t, far: i / this.impostor.length, tar: g / this.genuine.length });
    }
    return points;
  }
}

function sortedDescending(scores: readonly number[], name: string): number[] {
  if (scores.length === 0) throw new RangeError(`Cannot evaluate without ${name} scores`);
  for (const s of scores) {
    if (Number.isNaN(s) || s === Number.POSITIVE_INFINITY) throw new RangeError(`Invalid ${name} score "${s}": expected a number or -Infinity`);
  }
  return [...scores].sort((a, b) => b - a);
}

function countNoFace(sorted: readonly number[]): number {
  let n = 0;
  for (let i = sorted.length - 1; i >= 0 && sorted[i] === Number.NEGATIVE_INFINITY; i--) n++;
  return n;
}

// Scores are sorted descending: binary search for the first one below t.
function countAtOrAbove(sorted: readonly number[], threshold: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) >= threshold) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The smallest double greater than `x` (`x` itself for NaN and ±∞). */
export function nextUp(x: number): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return Number.MIN_VALUE;
  const scratch = new DataView(new ArrayBuffer(8));
  scratch.setFloat64(0, x);
  const bits = scratch.getBigInt64(0);
  scratch.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return scratch.getFloat64(0);
}
