/**
 * Pure 1:1 face matching: normalising embeddings, comparing them, deciding
 * against a calibrated threshold, the rule that turns K live frames into one
 * score, and fusing the scores of two models. No tfjs here, so the decision logic is
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
 * Ways of turning the K live frames of one capture into one similarity with
 * the chip photo: `best-of-k`, the highest of the K frames' similarities, or
 * `template`, the similarity of one template (the mean of the K L2-normalised
 * embeddings, normalised again).
 */
export const MATCH_RULES = ["best-of-k", "template"] as const;

/** One of {@linkcode MATCH_RULES}. */
export type MatchRule = (typeof MATCH_RULES)[number];

/**
 * The rule the capture decides by. The shipped threshold is calibrated for
 * this rule with `face.matchFrames` frames (`adapters/face/CALIBRATION.md`);
 * a threshold calibrated on single images is not valid for it.
 */
export const MATCH_RULE: MatchRule = "template";

/**
 * The template of several live embeddings of `model`: the mean of the
 * L2-normalised embeddings, normalised again (for a fused model, part by
 * part, as each part is compared on its own).
 *
 * @throws {RangeError} when there are no embeddings, one is not `model.dims`
 *   long, or one (or the mean) is zero.
 */
export function templateEmbedding(model: EmbeddingModel, embeddings: readonly ArrayLike<number>[]): Float32Array {
  if (embeddings.length === 0) throw new RangeError("Cannot build a template of no embeddings");
  const parts = model.parts?.map((p) => p.dims) ?? [model.dims];
  const sum = new Float32Array(model.dims);
  for (const embedding of embeddings) {
    if (embedding.length !== model.dims) throw new RangeError(`Expected ${model.dims}-d "${model.model}" embeddings, got ${embedding.length}`);
    let offset = 0;
    for (const dims of parts) {
      const unit = l2Normalize(slice(embedding, offset, dims));
      for (let i = 0; i < dims; i++) sum[offset + i] = (sum[offset + i] as number) + (unit[i] as number);
      offset += dims;
    }
  }
  let offset = 0;
  for (const dims of parts) {
    sum.set(l2Normalize(sum.subarray(offset, offset + dims)), offset);
    offset += dims;
  }
  return sum;
}

/**
 * The similarity of `chip` with the K live embeddings `frames` by `rule`:
 * the highest single similarity for `best-of-k`, the similarity with their
 * {@linkcode templateEmbedding} for `template`. Every frame given takes part:
 * the caller chooses the K frames (by quality, never by similarity).
 *
 * @returns −∞ when `frames` is empty (no usable face: never a match).
 * @throws {RangeError} as {@linkcode compareEmbeddings}.
 */
export function ruleSimilarity(model: EmbeddingModel, rule: MatchRule, chip: ArrayLike<number>, frames: readonly ArrayLike<number>[]): number {
  if (frames.length === 0) return Number.NEGATIVE_INFINITY;
  if (rule === "template") return compareEmbeddings(model, chip, templateEmbedding(model, frames));
  let best = Number.NEGATIVE_INFINITY;
  for (const frame of frames) best = Math.max(best, compareEmbeddings(model, chip, frame));
  return best;
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
