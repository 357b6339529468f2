/**
 * Builds the kiosk's face engine from the `face` settings. Starts nothing:
 * call `start()` on the result.
 */
import type { Clock, Logger } from "@kiosk/contracts";
import type { EmbeddingModel } from "../../domain/face-match.ts";
import type { FaceConfig } from "../../face-config.ts";
import { embeddingModelFor, type FaceApiPreparation } from "./embedders.ts";
import { defaultWorkerCount, WorkerFaceEngine, type FaceModelPaths } from "./worker-face-engine.ts";

/** Test and tooling overrides that are not user settings. */
export interface FaceEngineOverrides {
  readonly paths?: Partial<FaceModelPaths>;
  /** A stand-in worker script (tests). */
  readonly workerUrl?: URL;
  /** The clock of call deadlines and replacement back-off; defaults to the system clock. */
  readonly clock?: Clock;
}

function faceApiPreparation(config: FaceConfig): FaceApiPreparation {
  return { flipAverage: config.flipAverage, chipBlurSigma: config.chip.blurSigma, liveBlurSigma: config.live.blurSigma };
}

/** The identity of the embeddings an engine built from `config` produces (what its threshold must be calibrated for). */
export function faceEmbeddingModel(config: FaceConfig): EmbeddingModel {
  return embeddingModelFor(config.model, faceApiPreparation(config));
}

/** A {@linkcode WorkerFaceEngine} configured by `config`. */
export function createFaceEngine(config: FaceConfig, log: Logger, overrides: FaceEngineOverrides = {}): WorkerFaceEngine {
  return new WorkerFaceEngine({
    workers: config.workers === 0 ? defaultWorkerCount() : config.workers,
    embedder: config.model,
    faceApi: faceApiPreparation(config),
    chip: { attempts: config.chip.attempts, padFraction: config.chip.padFraction, upscale: config.chip.upscale },
    threshold: { value: config.threshold.value, model: config.threshold.model },
    maxFaces: config.maxFaces,
    maxQueued: config.maxQueued,
    startTimeoutMs: config.startTimeoutMs,
    callTimeoutMs: config.callTimeoutMs,
    log,
    paths: { humanModelsPackageDir: config.modelsCacheDir, ...overrides.paths },
    ...(overrides.workerUrl === undefined ? {} : { workerUrl: overrides.workerUrl }),
    ...(overrides.clock === undefined ? {} : { clock: overrides.clock }),
  });
}
