import { describe, expect, test } from "bun:test";
import { nextUp, VerificationScores } from "./verification-metrics.ts";

const NO_FACE = Number.NEGATIVE_INFINITY;
// Five genuine pairs (one without a face) and ten impostor pairs (one without a face).
const GENUINE = [0.7, 0.9, NO_FACE, 0.4, 0.8];
const IMPOSTOR = [0.1, 0.75, 0.3, 0.5, 0.2, 0.1, NO_FACE, 0.05, 0, -0.1];

describe("VerificationScores", () => {
  const scores = new VerificationScores(GENUINE, IMPOSTOR);

  test("sorts descending and counts no-face pairs", () => {
    expect(scores.genuine).toEqual([0.9, 0.8, 0.7, 0.4, NO_FACE]);
    expect(scores.genuineNoFace).toBe(1);
    expect(scores.impostorNoFace).toBe(1);
  });

  test("rates at a threshold accept scores at or above it", () => {
    expect(scores.ratesAt(0.7)).toEqual({ threshold: 0.7, tar: 0.6, far: 0.1, frr: 0.4 });
    expect(scores.ratesAt(0.75)).toEqual({ threshold: 0.75, tar: 0.4, far: 0.1, frr: 0.6 });
    expect(scores.ratesAt(2)).toEqual({ threshold: 2, tar: 0, far: 0, frr: 1 });
  });

  test("a no-face pair is never accepted, even at the lowest threshold", () => {
    const loosest = scores.ratesAt(-Number.MAX_VALUE);
    expect(loosest.tar).toBe(0.8);
    expect(loosest.far).toBe(0.9);
  });

  test("the threshold for a FAR sits just above the impostor score that must be rejected", () => {
    // FAR 0.1 allows one of ten impostors (0.75); 0.5 must be rejected.
    expect(scores.thresholdForFar(0.1)).toBe(nextUp(0.5));
    expect(scores.tarAtFar(0.1)).toEqual({ threshold: nextUp(0.5), tar: 0.6, far: 0.1, frr: 0.4, targetFar: 0.1, resolvable: true });
    // Below one impostor in ten, every impostor must be rejected.
    expect(scores.thresholdForFar(0.0999)).toBe(nextUp(0.75));
    expect(scores.tarAtFar(0.05)).toMatchObject({ tar: 0.4, far: 0, resolvable: false });
    expect(scores.thresholdForFar(0)).toBe(nextUp(0.75));
  });

  test("when the FAR allows every scored impostor the threshold stays finite", () => {
    const t = scores.thresholdForFar(0.9);
    expect(t).toBe(-Number.MAX_VALUE);
    expect(scores.tarAtFar(0.9)).toMatchObject({ tar: 0.8, far: 0.9 });
  });

  test("the equal error rate is the smallest max(FAR, FRR)", () => {
    // At 0.4: TAR 4/5 (FRR 0.2), FAR 2/10.
    expect(scores.equalErrorRate()).toEqual({ eer: 0.2, threshold: 0.4 });
  });

  test("the ROC runs from (0, 0) through every distinct score", () => {
    const roc = scores.roc();
    expect(roc.length).toBe(13);
    expect(roc[0]).toEqual({ threshold: nextUp(0.9), far: 0, tar: 0 });
    expect(roc[1]).toEqual({ threshold: 0.9, far: 0, tar: 0.2 });
    expect(roc[3]).toEqual({ threshold: 0.75, far: 0.1, tar: 0.4 });
    expect(roc.at(-1)).toEqual({ threshold: -0.1, far: 0.9, tar: 0.8 });
    for (let i = 1; i < roc.length; i++) {
      expect(roc[i]!.far).toBeGreaterThanOrEqual(roc[i - 1]!.far);
      expect(roc[i]!.tar).toBeGreaterThanOrEqual(roc[i - 1]!.tar);
    }
  });

  test("perfectly separated scores give EER 0 and full TAR at every FAR", () => {
    const clean = new VerificationScores([0.9, 0.8], [0.1, 0.2, 0.3]);
    expect(clean.equalErrorRate().eer).toBe(0);
    expect(clean.tarAtFar(1e-3).tar).toBe(1);
  });

  test("refuses empty lists, NaN and +Infinity and bad FAR targets", () => {
    expect(() => new VerificationScores([], [0.1])).toThrow("without genuine scores");
    expect(() => new VerificationScores([0.1], [])).toThrow("without impostor scores");
    expect(() => new VerificationScores([Number.NaN], [0.1])).toThrow(RangeError);
    expect(() => new VerificationScores([0.1], [Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => scores.thresholdForFar(1)).toThrow(RangeError);
    expect(() => scores.thresholdForFar(-0.1)).toThrow(RangeError);
  });
});

describe("nextUp", () => {
  test("steps to the next representable double", () => {
    expect(nextUp(0.5)).toBe(0.5000000000000001);
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextUp(-1)).toBe(-0.9999999999999999);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextUp(Number.NEGATIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });
});
