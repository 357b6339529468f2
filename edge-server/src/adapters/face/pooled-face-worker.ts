/**
 * One worker of the {@linkcode WorkerFaceEngine} pool: spawns the Bun
 * Worker, waits for its models, runs one job at a time under a stall
 * deadline, and reports once when it dies without being asked to (an error
 * event, an exit, a stall). The pool decides about replacements.
 */
import { KioskError, type Clock, type TimerId } from "@kiosk/contracts";
import type { ChipEmbedding, FrameAnalysis } from "../../ports.ts";
import { FaceEngineError } from "./face-engine-error.ts";
import type { WorkerError, WorkerInit, WorkerRequest, WorkerResponse } from "./face-worker-protocol.ts";

/** How long a closing worker may finish its current job and release its models before it is terminated, in milliseconds. */
const CLOSE_GRACE_MS = 2_000;

/** A request that carries an id, as the engine sends it to a worker. */
export type WorkerCall = Extract<WorkerRequest, { readonly id: number }>;

/** How a job ended. */
export type JobOutcome = { readonly ok: true; readonly value: FrameAnalysis | ChipEmbedding } | { readonly ok: false; readonly error: unknown };

/** One request for a worker, and where its outcome goes. */
export interface WorkerJob {
  readonly request: WorkerCall;
  readonly transfer: ArrayBuffer[];
  /** Receives the outcome; later calls are ignored by the caller's side. */
  settle(outcome: JobOutcome): void;
}

/** What a worker reports once its models are loaded. */
export interface WorkerReady {
  readonly backend: string;
  readonly loadMs: number;
}

/** Dependencies and settings of {@linkcode PooledFaceWorker}. */
export interface PooledFaceWorkerDeps {
  /** Position in the pool, for logs and messages. */
  readonly index: number;
  readonly url: URL;
  readonly init: WorkerInit;
  readonly clock: Clock;
  /** Time allowed to load the models, in milliseconds. */
  readonly startTimeoutMs: number;
  /** Time one job may hold the worker before it is declared stalled and terminated, in milliseconds. */
  readonly stallTimeoutMs: number;
  /** Called after a job ended with the worker's answer: it is free again. */
  readonly onIdle: (worker: PooledFaceWorker) => void;
  /** Called once when a worker that was ready dies unasked; its job has already failed with `error`. */
  readonly onDeath: (worker: PooledFaceWorker, error: KioskError) => void;
}

type WorkerState = "starting" | "ready" | "closing" | "dead";

/** A face worker of the pool. Create with {@linkcode PooledFaceWorker.spawn}. */
export class PooledFaceWorker {
  readonly #deps: PooledFaceWorkerDeps;
  readonly #worker: Worker;
  readonly #ready = Promise.withResolvers<WorkerReady>();
  readonly #exited = Promise.withResolvers<void>();
  #state: WorkerState = "starting";
  #job: WorkerJob | undefined;
  #timer: TimerId | undefined;
  #onClosed: (() => void) | undefined;

  private constructor(deps: PooledFaceWorkerDeps, worker: Worker) {
    this.#deps = deps;
    this.#worker = worker;
  }

  /**
   * Starts a worker and sends it `init`.
   *
   * @throws what `new Worker` throws for a script that cannot be loaded.
   */
  static spawn(deps: PooledFaceWorkerDeps): PooledFaceWorker {
    const worker = new PooledFaceWorker(deps, new Worker(deps.url.href));
    worker.#listen();
    worker.#timer = deps.clock.setTimeout(
      () => worker.#die(new KioskError("missing-dependency", `Face worker ${deps.index} did not load its models within ${deps.startTimeoutMs} ms`)),
      deps.startTimeoutMs,
    );
    worker.#worker.postMessage({ type: "init", init: deps.init } satisfies WorkerRequest);
    return worker;
  }

  get index(): number {
    return this.#deps.index;
  }

  /** True once the models are loaded and until the worker closes or dies. */
  get ready(): boolean {
    return this.#state === "ready";
  }

  /** True while a job holds the worker (even one whose caller gave up). */
  get busy(): boolean {
    return this.#job !== undefined;
  }

  /**
   * Resolves when the models are loaded; rejects with a `missing-dependency`
   * KioskError when the worker cannot load them, crashes or exits first, or
   * misses the start deadline, and with `shutting-down` when closed first.
   */
  whenReady(): Promise<WorkerReady> {
    return this.#ready.promise;
  }

  /** Sends `job` to this ready, idle worker and starts its stall deadline. */
  run(job: WorkerJob): void {
    if (this.#state !== "ready" || this.#job) throw new KioskError("internal", `Cannot run a job on face worker ${this.index}: it is ${this.#job ? "busy" : this.#state}`);
    this.#job = job;
    const { clock, stallTimeoutMs } = this.#deps;
    this.#timer = clock.setTimeout(
      () => this.#die(new FaceEngineError("face-engine-timeout", `Face worker ${this.index} did not answer "${job.request.type}" within ${stallTimeoutMs} ms: it is replaced`)),
      stallTimeoutMs,
    );
    this.#worker.postMessage(job.request, job.transfer);
  }

  /**
   * Asks the worker to release its models after its current job, then ends
   * it; a worker that does not answer within the grace time is terminated
   * anyway. A job still unanswered fails with `shutting-down`. Safe to call
   * on a dead worker.
   */
  async close(): Promise<void> {
    if (this.#state === "dead" || this.#state === "closing") return this.#exited.promise;
    this.#state = "closing";
    this.#clearTimer();
    this.#ready.reject(new KioskError("shutting-down", `Face worker ${this.index} was closed before it was ready`));
    const { clock } = this.#deps;
    await new Promise<void>((resolve) => {
      const grace = clock.setTimeout(resolve, CLOSE_GRACE_MS);
      this.#onClosed = () => {
        clock.clearTimeout(grace);
        resolve();
      };
      this.#worker.postMessage({ type: "close" } satisfies WorkerRequest);
    });
    this.#worker.terminate();
    await this.#exited.promise;
    this.#state = "dead";
    this.#takeJob()?.settle({ ok: false, error: new KioskError("shutting-down", "The face engine stopped before this request finished") });
  }

  #listen(): void {
    const worker = this.#worker;
    // The ready promise may reject before anyone awaits it (a worker that dies during a back-off wait).
    this.#ready.promise.catch(() => undefined);
    worker.addEventListener("message", (event: MessageEvent<WorkerResponse>) => this.#receive(event.data));
    worker.addEventListener("error", (event: ErrorEvent) => this.#die(this.#crash(`crashed: ${event.message}`)));
    worker.addEventListener("close", (event: Event) => {
      this.#exited.resolve();
      this.#die(this.#crash(`exited with code ${(event as CloseEvent).code}`));
    });
  }

  #receive(message: WorkerResponse): void {
    switch (message.type) {
      case "ready":
        if (this.#state !== "starting") return;
        this.#clearTimer();
        this.#state = "ready";
        this.#ready.resolve({ backend: message.backend, loadMs: message.loadMs });
        return;
      case "init-failed":
        this.#die(new KioskError("missing-dependency", `Face worker ${this.index} could not load its models: ${message.error.message}`));
        return;
      case "analyzed":
      case "chip-embedded":
        this.#finish(message.id, { ok: true, value: message.result });
        return;
      case "failed":
        this.#finish(message.id, { ok: false, error: fromWorkerError(message.error) });
        return;
      case "closed":
        this.#onClosed?.();
        return;
    }
  }

  #finish(id: number, outcome: JobOutcome): void {
    if (this.#job?.request.id !== id) return;
    this.#clearTimer();
    this.#takeJob()?.settle(outcome);
    if (this.#state === "ready") this.#deps.onIdle(this);
  }

  // A worker that dies before it is ready fails its start; after that, its job and the pool hear of it.
  #crash(what: string): KioskError {
    const job = this.#job;
    if (this.#state === "starting") return new KioskError("missing-dependency", `Face worker ${this.index} ${what}`);
    return new FaceEngineError("face-engine-crashed", `Face worker ${this.index} ${what}${job ? ` while handling "${job.request.type}"` : ""}: it is replaced`);
  }

  #die(error: KioskError): void {
    if (this.#state === "dead" || this.#state === "closing") return;
    const wasReady = this.#state === "ready";
    this.#state = "dead";
    this.#clearTimer();
    this.#worker.terminate();
    this.#takeJob()?.settle({ ok: false, error });
    if (wasReady) this.#deps.onDeath(this, error);
    else this.#ready.reject(error);
  }

  #takeJob(): WorkerJob | undefined {
    const job = this.#job;
    this.#job = undefined;
    return job;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function fromWorkerError(error: WorkerError): KioskError | RangeError {
  return error.code === "bad-request" ? new RangeError(error.message) : new KioskError(error.code, error.message);
}
