/**
 * Pure 1:1 face matching: normalising embeddings, comparing them, deciding
 * against a calibrated threshold, picking the best of several live frames,
 * and fusing the scores of two models. No tfjs here, so the decision logic is
 * tested with fixed vectors (STYLE.md §1.14).
 */

/**
 * Which embedding model produced a vector. A threshold is only meaningful for
 * the model (and face preparation) it was calibrated on, so the identity
 * names both; vectors of different identities must never be compared.
 */
export interface EmbeddingModel {
  /** Model and preparation, such as `face-api-recognition@1.7.15+mesh-dlib5-align`. */
  readonly model: string;
  /** Length of the embedding. */
  readonly dims: number;
  /**
   * For a fused model: the concatenated parts, in order. Each part is
   * compared by cosine and the scores are fused with {@linkcode fuseScores}.
   * Absent for a single model (plain cosine).
   */
  readonly parts?: readonly EmbeddingPart[];
}

/** One model's slice of a fused embedding. */
export interface EmbeddingPart {
  readonly dims: number;
  /** The model's impostor cosine statistics, for z-normalisation. */
  readonly norm: ScoreNorm;
  readonly weight: number;
}

/** A decision threshold and the model identity it was calibrated for. */
export interface CalibratedThreshold {
  /** Similarity at or above which a pair is a match. */
  readonly value: number;
  /** {@linkcode EmbeddingModel.model} of the model the value was calibrated on. */
  readonly model: string;
}

/** The outcome of comparing one live capture with the chip photo. */
export interface MatchDecision {
  readonly match: boolean;
  readonly similarity: number;
  readonly threshold: number;
  /** `similarity − threshold`: how far from the decision boundary (negative when rejected). */
  readonly margin: number;
}

/** Mean and standard deviation of a model's impostor scores, for z-normalisation. */
export interface ScoreNorm {
  readonly mean: number;
  readonly std: number;
}

/**
 * Scales `vector` to unit Euclidean length.
 *
 * @throws {RangeError} when the vector is empty, holds a non-finite value, or
 *   is all zeros.
 */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  if (vector.length === 0) throw new RangeError("Cannot normalise an empty vector");
  let sum = 0;
  for (let i = 0; i < vector.length; i++) {
    const v = vector[i] as number;
    if (!Number.isFinite(v)) throw new RangeError(`Cannot normalise a vector holding "${v}" at index ${i}`);
    sum += v * v;
  }
  if (sum === 0) throw new RangeError("Cannot normalise a zero vector");
  const inv = 1 / Math.sqrt(sum);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * inv;
  return out;
}

/**
 * Cosine similarity of two embeddings, in [−1, 1]. For vectors already
 * L2-normalised this is their dot product; the norms are divided out anyway,
 * so a vector that lost its normalisation in transit cannot inflate a score.
 *
 * @throws {RangeError} when the lengths differ, a vector is empty or zero.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`Cannot compare embeddings of different length: ${a.length} and ${b.length}`);
  if (a.length === 0) throw new RangeError("Cannot compare empty embeddings");
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) throw new RangeError("Cannot compare a zero embedding");
  // Rounding can push |cos| a hair above 1 for identical vectors.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

/**
 * Decides whether a similarity is a match: at or above the threshold. A
 * non-finite similarity (no face found: −∞, or NaN) is never a match.
 */
export function decideMatch(similarity: number, threshold: number): MatchDecision {
  const match = Number.isFinite(similarity) && similarity >= threshold;
  return { match, similarity, threshold, margin: similarity - threshold };
}

/**
 * The best of N live-frame similarities against the same chip photo: the
 * highest finite score, with its index. Taking the maximum favours the
 * applicant's best frame; the threshold must therefore be calibrated with the
 * same N, or checked to hold for it.
 *
 * @returns `undefined` when no score is finite (no frame had a usable face).
 */
export function bestOfN(similarities: readonly number[]): { readonly index: number; readonly similarity: number } | undefined {
  let index = -1;
  let best = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < similarities.length; i++) {
    const s = similarities[i] as number;
    if (Number.isFinite(s) && s > best) {
      best = s;
      index = i;
    }
  }
  return index < 0 ? undefined : { index, similarity: best };
}

/**
 * Fuses the scores of several models into one: each score is z-normalised
 * with its model's impostor statistics, then averaged with `weights`
 * (equal by default). A non-finite input score makes the result −∞ (no face
 * for one model means no face).
 *
 * @throws {RangeError} when the lists differ in length, are empty, a standard
 *   deviation is not positive, or the weights do not sum to a positive number.
 */
export function fuseScores(scores: readonly number[], norms: readonly ScoreNorm[], weights?: readonly number[]): number {
  if (scores.length === 0 || scores.length !== norms.length || (weights && weights.length !== scores.length)) {
    throw new RangeError(`Cannot fuse ${scores.length} scores with ${norms.length} norms and ${weights?.length ?? "default"} weights`);
  }
  let sum = 0;
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    const norm = norms[i] as ScoreNorm;
    if (!(norm.std > 0)) throw new RangeError(`Cannot fuse with a non-positive standard deviation "${norm.std}" at index ${i}`);
    const w = weights ? (weights[i] as number) : 1;
    const s = scores[i] as number;
    if (!Number.isFinite(s)) return Number.NEGATIVE_INFINITY;
    sum += (w * (s - norm.mean)) / norm.std;
    total += w;
  }
  if (!(total > 0)) throw new RangeError("Cannot fuse with weights that do not sum to a positive number");
  return sum / total;
}

/**
 * Why `threshold` cannot be used with `model`, or `undefined` when it can.
 * A threshold calibrated for other embeddings has no meaning for these: the
 * score distributions of two models differ completely.
 */
export function calibrationMismatch(threshold: CalibratedThreshold, model: EmbeddingModel): string | undefined {
  if (threshold.model === model.model) return undefined;
  return `threshold ${threshold.value} was calibrated for "${threshold.model}", but the engine produces "${model.model}" embeddings`;
}

/**
 * The similarity of two embeddings of `model`: their cosine, or for a fused
 * model the weighted mean of each part's z-normalised cosine.
 *
 * @throws {RangeError} when a vector's length is not `model.dims`, or the
 *   parts do not add up to it.
 */
export function compareEmbeddings(model: EmbeddingModel, a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== model.dims || b.length !== model.dims) {
    throw new RangeError(`Expected two ${model.dims}-d "${model.model}" embeddings, got ${a.length} and ${b.length}`);
  }
  if (!model.parts) return cosineSimilarity(a, b);
  const total = model.parts.reduce((n, p) => n + p.dims, 0);
  if (total !== model.dims) throw new RangeError(`The parts of "${model.model}" add up to ${total}, not ${model.dims}`);
  const scores: number[] = [];
  let offset = 0;
  for (const part of model.parts) {
    scores.push(cosineSimilarity(slice(a, offset, part.dims), slice(b, offset, part.dims)));
    offset += part.dims;
  }
  return fuseScores(scores, model.parts.map((p) => p.norm), model.parts.map((p) => p.weight));
}

function slice(v: ArrayLike<number>, start: number, length: number): ArrayLike<number> {
  return ArrayBuffer.isView(v) ? (v as Float32Array).subarray(start, start + length) : Array.prototype.slice.call(v, start, start + length);
}
