import { describe, expect, test } from "bun:test";
import { calibrationMismatch, compareEmbeddings, cosineSimilarity, decideMatch, fuseScores, l2Normalize, ruleSimilarity, templateEmbedding, type EmbeddingModel } from "./face-match.ts";

describe("l2Normalize", () => {
  test("scales a 3-4-0 vector to unit length", () => {
    expect(Array.from(l2Normalize([3, 4, 0]))).toEqual([0.6000000238418579, 0.800000011920929, 0]);
    const n = l2Normalize([1, 1, 1, 1]);
    expect(Array.from(n)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  test("refuses empty, zero and non-finite vectors", () => {
    expect(() => l2Normalize([])).toThrow(RangeError);
    expect(() => l2Normalize([0, 0])).toThrow("zero vector");
    expect(() => l2Normalize([1, Number.NaN])).toThrow('"NaN" at index 1');
    expect(() => l2Normalize([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });
});

describe("cosineSimilarity", () => {
  test("gives 1, 0 and -1 for parallel, orthogonal and opposite vectors", () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 5])).toBe(0);
    expect(cosineSimilarity([1, 1], [-2, -2])).toBe(-1);
  });

  test("equals the dot product of normalised vectors", () => {
    const a = l2Normalize([1, 2, 2]);
    const b = l2Normalize([2, 1, 2]);
    // (2 + 2 + 4) / (3 · 3)
    expect(cosineSimilarity(a, b)).toBeCloseTo(8 / 9, 6);
    expect(cosineSimilarity([1, 2, 2], [2, 1, 2])).toBeCloseTo(8 / 9, 12);
  });

  test("is not fooled by an unnormalised vector", () => {
    expect(cosineSimilarity([10, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  test("refuses vectors of different length or zero vectors", () => {
    expect(() => cosineSimilarity([1, 2], [1, 2, 3])).toThrow("different length: 2 and 3");
    expect(() => cosineSimilarity([], [])).toThrow(RangeError);
    expect(() => cosineSimilarity([0, 0], [1, 0])).toThrow("zero embedding");
  });
});

describe("decideMatch", () => {
  test("accepts at and above the threshold, rejects below", () => {
    expect(decideMatch(0.6, 0.6)).toEqual({ match: true, similarity: 0.6, threshold: 0.6, margin: 0 });
    expect(decideMatch(0.7, 0.6).match).toBe(true);
    expect(decideMatch(0.7, 0.6).margin).toBeCloseTo(0.1, 12);
    expect(decideMatch(0.59, 0.6).match).toBe(false);
  });

  test("never accepts a missing face, whatever the threshold", () => {
    expect(decideMatch(Number.NEGATIVE_INFINITY, -1).match).toBe(false);
    expect(decideMatch(Number.NaN, -1).match).toBe(false);
  });
});

describe("templateEmbedding", () => {
  const plain: EmbeddingModel = { model: "m", dims: 2 };

  test("is the normalised mean of the normalised embeddings, so a long vector weighs no more than a short one", () => {
    // [10, 0] and [0, 1] normalise to the axes; their mean points at 45°.
    const template = templateEmbedding(plain, [new Float32Array([10, 0]), new Float32Array([0, 1])]);
    expect(template[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(template[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });

  test("normalises each part of a fused model on its own", () => {
    const fused: EmbeddingModel = { model: "f", dims: 3, parts: [{ dims: 1, norm: { mean: 0, std: 1 }, weight: 1 }, { dims: 2, norm: { mean: 0, std: 1 }, weight: 1 }] };
    expect(Array.from(templateEmbedding(fused, [new Float32Array([5, 3, 4])]))).toEqual([1, 0.6000000238418579, 0.800000011920929]);
  });

  test("refuses no embeddings, a wrong length and a mean of zero", () => {
    expect(() => templateEmbedding(plain, [])).toThrow("no embeddings");
    expect(() => templateEmbedding(plain, [new Float32Array(3)])).toThrow("got 3");
    expect(() => templateEmbedding(plain, [new Float32Array([1, 0]), new Float32Array([-1, 0])])).toThrow("zero vector");
  });
});

describe("ruleSimilarity", () => {
  const model: EmbeddingModel = { model: "m", dims: 2 };
  const chip = [1, 0];
  const frames = [new Float32Array([1, 0]), new Float32Array([0, 1])];

  test("best-of-k takes the highest frame's similarity", () => {
    expect(ruleSimilarity(model, "best-of-k", chip, frames)).toBe(1);
  });

  test("template compares the chip with the frames' template", () => {
    expect(ruleSimilarity(model, "template", chip, frames)).toBeCloseTo(Math.SQRT1_2, 6);
  });

  test("every frame given takes part", () => {
    expect(ruleSimilarity(model, "best-of-k", chip, [new Float32Array([0, 1])])).toBe(0);
    expect(ruleSimilarity(model, "template", chip, [new Float32Array([0, 1]), new Float32Array([0, 1]), new Float32Array([1, 0])])).toBeCloseTo(1 / Math.sqrt(5), 6);
  });

  test("no frame is never a match", () => {
    expect(ruleSimilarity(model, "template", chip, [])).toBe(Number.NEGATIVE_INFINITY);
    expect(ruleSimilarity(model, "best-of-k", chip, [])).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("fuseScores", () => {
  const norms = [{ mean: 0.5, std: 0.1 }, { mean: 0.2, std: 0.2 }];

  test("averages z-normalised scores", () => {
    // z = (0.7 − 0.5)/0.1 = 2 and (0.6 − 0.2)/0.2 = 2
    expect(fuseScores([0.7, 0.6], norms)).toBeCloseTo(2, 12);
    // z = 1 and 0 → 0.5
    expect(fuseScores([0.6, 0.2], norms)).toBeCloseTo(0.5, 12);
  });

  test("applies weights", () => {
    // (3·1 + 1·0) / 4
    expect(fuseScores([0.6, 0.2], norms, [3, 1])).toBeCloseTo(0.75, 12);
  });

  test("a missing face in either model makes the fused score -Infinity", () => {
    expect(fuseScores([0.9, Number.NEGATIVE_INFINITY], norms)).toBe(Number.NEGATIVE_INFINITY);
  });

  test("refuses mismatched lists and degenerate norms", () => {
    expect(() => fuseScores([0.1], norms)).toThrow(RangeError);
    expect(() => fuseScores([], [])).toThrow(RangeError);
    expect(() => fuseScores([0.1, 0.2], norms, [1])).toThrow(RangeError);
    expect(() => fuseScores([0.1], [{ mean: 0, std: 0 }])).toThrow("non-positive standard deviation");
    expect(() => fuseScores([0.1, 0.2], norms, [0, 0])).toThrow("weights");
  });
});

describe("calibrationMismatch", () => {
  test("accepts a threshold calibrated for the same model and names the difference otherwise", () => {
    const model = { model: "m@1+align", dims: 128 };
    expect(calibrationMismatch({ value: 0.5, model: "m@1+align" }, model)).toBeUndefined();
    expect(calibrationMismatch({ value: 0.5, model: "faceres@3" }, model)).toBe(
      'threshold 0.5 was calibrated for "faceres@3", but the engine produces "m@1+align" embeddings',
    );
  });
});

describe("compareEmbeddings", () => {
  test("a single model compares by cosine", () => {
    expect(compareEmbeddings({ model: "m", dims: 2 }, [1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 12);
  });

  test("a fused model z-normalises each part's cosine and averages them by weight", () => {
    const model = {
      model: "fused",
      dims: 4,
      parts: [
        { dims: 2, norm: { mean: 0, std: 0.5 }, weight: 3 },
        { dims: 2, norm: { mean: 0.5, std: 0.25 }, weight: 1 },
      ],
    };
    // Part 1: cos = 1 → z = 2; part 2: cos = 0 → z = -2; (3·2 + 1·(−2)) / 4 = 1
    expect(compareEmbeddings(model, Float32Array.from([1, 0, 1, 0]), Float32Array.from([1, 0, 0, 1]))).toBeCloseTo(1, 6);
    expect(compareEmbeddings(model, [1, 0, 1, 0], [1, 0, 0, 1])).toBeCloseTo(1, 6);
  });

  test("refuses vectors of the wrong length and parts that do not add up", () => {
    expect(() => compareEmbeddings({ model: "m", dims: 3 }, [1, 0], [1, 0])).toThrow('two 3-d "m" embeddings');
    const broken = { model: "b", dims: 3, parts: [{ dims: 2, norm: { mean: 0, std: 1 }, weight: 1 }] };
    expect(() => compareEmbeddings(broken, [1, 0, 0], [1, 0, 0])).toThrow("add up to 2");
  });
});
