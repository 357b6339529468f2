/**
 * Choosing an operating threshold that holds on people not in the
 * calibration set. The raw FAR point of a dev list sits exactly on one
 * impostor score; on new identities the impostor tail is different. So the
 * threshold is estimated many times on bootstrap resamples of *identities*
 * (pairs of one person are not independent), a high quantile of those
 * estimates is taken, and leave-identities-out folds check what FAR and TAR
 * the procedure really gives on people it never saw.
 *
 * Pure and deterministic: randomness comes from a seeded generator.
 */
import { seededRandom } from "@kiosk/contracts";
import { nextUp } from "./verification-metrics.ts";

/** One compared pair with the identities on each side. */
export interface ScoredPair {
  /** Similarity; −∞ when either image had no face. */
  readonly score: number;
  readonly same: boolean;
  readonly chipIdentity: string;
  readonly liveIdentity: string;
}

/** Options of {@linkcode calibrateThreshold}. */
export interface CalibrationOptions {
  /** FAR the threshold must not exceed, such as 1e-3. */
  readonly targetFar: number;
  /** Bootstrap rounds. */
  readonly rounds: number;
  /** Quantile of the bootstrap thresholds to recommend (0.9 = exceeded by only 10 % of resamples). */
  readonly quantile: number;
  /** Folds of the leave-identities-out check (≥ 2). */
  readonly folds: number;
  /** Seed of the random generator. */
  readonly seed: number;
  /** The recommended threshold is rounded up to a multiple of this (e.g. 0.0025), so it never sits on a score. */
  readonly step: number;
}

/** Low, middle and high quantiles of a bootstrap distribution. */
export interface Spread {
  readonly p05: number;
  readonly p50: number;
  readonly p95: number;
}

/** The outcome of {@linkcode calibrateThreshold}. */
export interface CalibrationReport {
  readonly pairs: { readonly genuine: number; readonly impostor: number; readonly identities: number };
  /** The FAR point of all pairs together (on an impostor score). */
  readonly rawThreshold: number;
  readonly rawTar: number;
  /** Spread over identity-bootstrap resamples of the FAR-point threshold and of TAR at it. */
  readonly bootstrap: { readonly threshold: Spread; readonly tarAtFar: Spread };
  /** The {@linkcode CalibrationOptions.quantile} of the bootstrap thresholds, rounded up to the step. */
  readonly recommended: number;
  /** TAR and FAR of all pairs at the recommended threshold. */
  readonly atRecommended: { readonly tar: number; readonly far: number };
  /**
   * Leave-identities-out: for each fold, the procedure's raw threshold from the
   * other folds and the FAR and TAR it gave on the fold's own people.
   */
  readonly folds: readonly { readonly threshold: number; readonly far: number; readonly tar: number; readonly genuine: number; readonly impostor: number }[];
}

/** The `q` quantile (0–1) of `values` by linear interpolation. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError("Cannot take a quantile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const pos = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

interface Weighted {
  readonly scores: Float64Array;
  readonly weights: Float64Array;
}

// Threshold just above the impostor score where the accepted weight would
// exceed target × total weight (scores sorted descending).
function weightedThreshold(impostor: Weighted, targetFar: number): number {
  let total = 0;
  for (const w of impostor.weights) total += w;
  const allowed = targetFar * total + 1e-9;
  let accepted = 0;
  for (let i = 0; i < impostor.scores.length; i++) {
    const w = impostor.weights[i] as number;
    if (w === 0) continue;
    const s = impostor.scores[i] as number;
    if (accepted + w > allowed) return s === Number.NEGATIVE_INFINITY ? -Number.MAX_VALUE : nextUp(s);
    accepted += w;
  }
  return -Number.MAX_VALUE;
}

function weightedRate(list: Weighted, threshold: number): number {
  let total = 0;
  let accepted = 0;
  for (let i = 0; i < list.scores.length; i++) {
    const w = list.weights[i] as number;
    total += w;
    if ((list.scores[i] as number) >= threshold) accepted += w;
  }
  return total === 0 ? 0 : accepted / total;
}

function spread(values: readonly number[]): Spread {
  return { p05: quantile(values, 0.05), p50: quantile(values, 0.5), p95: quantile(values, 0.95) };
}

/**
 * Calibrates a threshold for `options.targetFar` on `pairs` (all lists
 * together), with identity bootstrap and a leave-identities-out check.
 *
 * @throws {RangeError} when there are no genuine or no impostor pairs, or the
 *   options are out of range.
 */
export function calibrateThreshold(pairs: readonly ScoredPair[], options: CalibrationOptions): CalibrationReport {
  const { targetFar, rounds, folds, step } = options;
  if (!(targetFar > 0 && targetFar < 1)) throw new RangeError(`Invalid target FAR "${targetFar}": expected a number in (0, 1)`);
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`Invalid rounds "${rounds}": expected an integer >= 1`);
  if (!Number.isInteger(folds) || folds < 2) throw new RangeError(`Invalid folds "${folds}": expected an integer >= 2`);
  if (!(step > 0)) throw new RangeError(`Invalid step "${step}": expected a positive number`);

  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  const genuine = sorted.filter((p) => p.same);
  const impostor = sorted.filter((p) => !p.same);
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError(`Cannot calibrate with ${genuine.length} genuine and ${impostor.length} impostor pairs`);
  const identities = [...new Set(pairs.flatMap((p) => [p.chipIdentity, p.liveIdentity]))].sort();
  const index = new Map(identities.map((id, i) => [id, i]));
  const idOf = (id: string): number => index.get(id) as number;
  const genuineIds = genuine.map((p) => idOf(p.chipIdentity));
  const impostorIds = impostor.map((p) => [idOf(p.chipIdentity), idOf(p.liveIdentity)] as const);
  const g = { scores: Float64Array.from(genuine, (p) => p.score), weights: new Float64Array(genuine.length).fill(1) };
  const im = { scores: Float64Array.from(impostor, (p) => p.score), weights: new Float64Array(impostor.length).fill(1) };

  const rawThreshold = weightedThreshold(im, targetFar);
  const rawTar = weightedRate(g, rawThreshold);

  // Identity bootstrap: draw identities with replacement; a genuine pair
  // counts as often as its person was drawn, an impostor pair as the product
  // of its two people's counts (it exists only if both are in the sample).
  const random = seededRandom(options.seed);
  const thresholds: number[] = [];
  const tars: number[] = [];
  const count = new Float64Array(identities.length);
  for (let r = 0; r < rounds; r++) {
    count.fill(0);
    for (let i = 0; i < identities.length; i++) {
      const drawn = Math.floor(random() * identities.length);
      count[drawn] = (count[drawn] as number) + 1;
    }
    const gw = { scores: g.scores, weights: Float64Array.from(genuineIds, (id) => count[id] as number) };
    const iw = { scores: im.scores, weights: Float64Array.from(impostorIds, ([a, b]) => (count[a] as number) * (count[b] as number)) };
    const t = weightedThreshold(iw, targetFar);
    thresholds.push(t);
    tars.push(weightedRate(gw, t));
  }
  const recommended = Math.ceil(quantile(thresholds, options.quantile) / step) * step;

  // Leave-identities-out folds over a seeded shuffle of the identities.
  const order = identities.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const foldOf = new Int32Array(identities.length);
  order.forEach((id, position) => (foldOf[id] = position % folds));
  const foldReports = Array.from({ length: folds }, (_, f) => {
    const inFold = (id: number): boolean => foldOf[id] === f;
    const trainImpostor = { scores: im.scores, weights: Float64Array.from(impostorIds, ([a, b]) => (!inFold(a) && !inFold(b) ? 1 : 0)) };
    const threshold = weightedThreshold(trainImpostor, targetFar);
    const testImpostor = { scores: im.scores, weights: Float64Array.from(impostorIds, ([a, b]) => (inFold(a) && inFold(b) ? 1 : 0)) };
    const testGenuine = { scores: g.scores, weights: Float64Array.from(genuineIds, (id) => (inFold(id) ? 1 : 0)) };
    return {
      threshold,
      far: weightedRate(testImpostor, threshold),
      tar: weightedRate(testGenuine, threshold),
      genuine: testGenuine.weights.reduce((s, w) => s + w, 0),
      impostor: testImpostor.weights.reduce((s, w) => s + w, 0),
    };
  });

  return {
    pairs: { genuine: genuine.length, impostor: impostor.length, identities: identities.length },
    rawThreshold,
    rawTar,
    bootstrap: { threshold: spread(thresholds), tarAtFar: spread(tars) },
    recommended,
    atRecommended: { tar: weightedRate(g, recommended), far: weightedRate(im, recommended) },
    folds: foldReports,
  };
}
