/**
 * The embedding models the engine can run, their identities, and the
 * calibration constants that belong to them. The identity string names every
 * choice that changes the score distribution (network, weights version,
 * alignment, test-time mirroring, blur), so a threshold calibrated for one
 * set of choices is refused for another.
 */
import type { EmbeddingModel, ScoreNorm } from "../../domain/face-match.ts";
import { FACE_MODELS } from "../../face-config.ts";
import { FACERES_DIMS } from "./faceres-net.ts";
import { RECOGNITION_DIMS } from "./face-recognition-net.ts";

/** Names of the embedding models, as used in configuration and on the command line. */
export const EMBEDDER_NAMES = FACE_MODELS;

/** One of {@linkcode EMBEDDER_NAMES}. */
export type EmbedderName = (typeof FACE_MODELS)[number];

/** Versions of the packages whose weights are used; part of every identity. */
export const FACE_API_VERSION = "1.7.15";
export const HUMAN_VERSION = "3.3.6";
export const HUMAN_MODELS_VERSION = "3.0.4";

/** Preparation choices of the face-api recognition path. */
export interface FaceApiPreparation {
  /** Average each embedding with that of the mirrored chip. */
  readonly flipAverage: boolean;
  /** Gaussian blur (σ in 150-px chip pixels) applied to the aligned chip-photo face. */
  readonly chipBlurSigma: number;
  /** Gaussian blur (σ in 150-px chip pixels) applied to the aligned live face. */
  readonly liveBlurSigma: number;
}

/**
 * Impostor cosine statistics of each model on the dev pairs (studio + web
 * together), measured with the shipped preparation. They z-normalise the two
 * scores before fusion; changing them changes the fused identity.
 */
export const FUSION_NORMS: { readonly faceApi: ScoreNorm; readonly faceres: ScoreNorm } = {
  faceApi: { mean: 0.8474, std: 0.0336 },
  faceres: { mean: 0.3786, std: 0.0738 },
};

/** Weights of the fused scores, face-api first: its scores separate better, so they count more. */
export const FUSION_WEIGHTS = { faceApi: 3, faceres: 1 } as const;

// The landmarks that place the five alignment points: human's mesh, or face-api's
// 68-point net run twice (on human's box, then on the box of its own points).
function faceApiIdentity(p: FaceApiPreparation, landmarks: "mesh" | "landmark68" = "mesh"): string {
  const flip = p.flipAverage ? "+flip" : "";
  const source = landmarks === "mesh" ? "human-mesh" : `face-api-landmark68@${FACE_API_VERSION}x2`;
  return `face-api-recognition@${FACE_API_VERSION}+${source}-dlib5-150${flip}+blur(chip=${p.chipBlurSigma},live=${p.liveBlurSigma})`;
}

/** The identity of the embeddings `name` produces with preparation `p`. */
export function embeddingModelFor(name: EmbedderName, p: FaceApiPreparation): EmbeddingModel {
  switch (name) {
    case "face-api":
      return { model: faceApiIdentity(p), dims: RECOGNITION_DIMS };
    case "face-api-68":
      return { model: faceApiIdentity(p, "landmark68"), dims: RECOGNITION_DIMS };
    case "faceres":
      return { model: `human-faceres@${HUMAN_VERSION}`, dims: FACERES_DIMS };
    case "faceres-deep":
      return { model: `human-models-faceres-deep@${HUMAN_MODELS_VERSION}`, dims: FACERES_DIMS };
    case "fusion": {
      const { faceApi, faceres } = FUSION_NORMS;
      const w = FUSION_WEIGHTS;
      return {
        model: `fusion(${faceApiIdentity(p)}*${w.faceApi}[${faceApi.mean},${faceApi.std}],human-faceres@${HUMAN_VERSION}*${w.faceres}[${faceres.mean},${faceres.std}])`,
        dims: RECOGNITION_DIMS + FACERES_DIMS,
        parts: [
          { dims: RECOGNITION_DIMS, norm: faceApi, weight: w.faceApi },
          { dims: FACERES_DIMS, norm: faceres, weight: w.faceres },
        ],
      };
    }
  }
}

/** True when `name` needs human's faceres-type network. */
export function usesFaceres(name: EmbedderName): boolean {
  return name === "faceres" || name === "faceres-deep" || name === "fusion";
}

/** True when `name` needs face-api's recognition network. */
export function usesFaceApi(name: EmbedderName): boolean {
  return name === "face-api" || name === "face-api-68" || name === "fusion";
}

/** True when `name` aligns faces with face-api's 68-point landmark network. */
export function usesLandmark68(name: EmbedderName): boolean {
  return name === "face-api-68";
}
