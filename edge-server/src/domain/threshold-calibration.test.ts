import { describe, expect, test } from "bun:test";
import { calibrateThreshold, quantile, type ScoredPair } from "./threshold-calibration.ts";
import { nextUp, VerificationScores } from "./verification-metrics.ts";

// Ten people; each has one genuine pair and impostor pairs with every other person.
function population(genuineScore: (i: number) => number, impostorScore: (i: number, j: number) => number): ScoredPair[] {
  const pairs: ScoredPair[] = [];
  for (let i = 0; i < 10; i++) {
    pairs.push({ score: genuineScore(i), same: true, chipIdentity: `p${i}`, liveIdentity: `p${i}` });
    for (let j = 0; j < 10; j++) if (i !== j) pairs.push({ score: impostorScore(i, j), same: false, chipIdentity: `p${i}`, liveIdentity: `p${j}` });
  }
  return pairs;
}

const OPTIONS = { targetFar: 0.02, rounds: 200, quantile: 0.9, folds: 2, seed: 7, step: 0.01 };

describe("quantile", () => {
  test("quantiles interpolate linearly", () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(quantile([5, 1], 0)).toBe(1);
    expect(() => quantile([], 0.5)).toThrow(RangeError);
  });
});

describe("calibrateThreshold", () => {
  // Impostor scores (i·10 + j)/100: 90 distinct values in [0.01, 0.98]; genuine 0.99.
  const pairs = population(() => 0.99, (i, j) => (i * 10 + j) / 100);

  test("the raw threshold equals the plain FAR point of all pairs", () => {
    const report = calibrateThreshold(pairs, OPTIONS);
    const plain = new VerificationScores(pairs.filter((p) => p.same).map((p) => p.score), pairs.filter((p) => !p.same).map((p) => p.score));
    expect(report.rawThreshold).toBe(plain.thresholdForFar(0.02));
    // ⌊0.02 · 90⌋ = 1 impostor may pass (0.98), so the threshold sits just above 0.97.
    expect(report.rawThreshold).toBe(nextUp(0.97));
    expect(report.rawTar).toBe(1);
    expect(report.pairs).toEqual({ genuine: 10, impostor: 90, identities: 10 });
  });

  test("the recommendation is a bootstrap quantile rounded up to the step, above the median estimate", () => {
    const report = calibrateThreshold(pairs, OPTIONS);
    expect(report.bootstrap.threshold.p05).toBeLessThanOrEqual(report.bootstrap.threshold.p50);
    expect(report.bootstrap.threshold.p50).toBeLessThanOrEqual(report.bootstrap.threshold.p95);
    expect(report.recommended).toBeGreaterThanOrEqual(report.bootstrap.threshold.p50);
    expect(Math.abs(report.recommended / 0.01 - Math.round(report.recommended / 0.01))).toBeLessThan(1e-9);
    expect(report.atRecommended.far).toBeLessThanOrEqual(0.02);
    expect(report.atRecommended.tar).toBe(1);
    // Same seed, same answer.
    expect(calibrateThreshold(pairs, OPTIONS)).toEqual(report);
  });

  test("leave-identities-out folds test on people the threshold never saw", () => {
    const report = calibrateThreshold(pairs, OPTIONS);
    expect(report.folds.length).toBe(2);
    // Five people per fold: 5 genuine pairs and 5·4 impostor pairs inside it.
    for (const fold of report.folds) {
      expect(fold.genuine).toBe(5);
      expect(fold.impostor).toBe(20);
      expect(fold.tar).toBe(1);
    }
  });

  test("a no-face genuine pair stays a failure", () => {
    const withMiss = population((i) => (i === 0 ? Number.NEGATIVE_INFINITY : 0.99), (i, j) => (i * 10 + j) / 100);
    expect(calibrateThreshold(withMiss, OPTIONS).rawTar).toBeCloseTo(0.9, 12);
  });

  test("refuses empty sides and bad options", () => {
    expect(() => calibrateThreshold(pairs.filter((p) => p.same), OPTIONS)).toThrow(RangeError);
    expect(() => calibrateThreshold(pairs, { ...OPTIONS, targetFar: 0 })).toThrow(RangeError);
    expect(() => calibrateThreshold(pairs, { ...OPTIONS, folds: 1 })).toThrow(RangeError);
    expect(() => calibrateThreshold(pairs, { ...OPTIONS, step: 0 })).toThrow(RangeError);
  });
});
