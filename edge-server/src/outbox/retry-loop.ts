/**
 * The timer-driven loop behind the kiosk's senders to central: run a pass
 * of work, run again at once while it makes progress, wait while idle, and
 * after a failure retry with back-off, never sooner than central's
 * `Retry-After`. One pass at a time; a nudge during a pass runs another
 * right after it.
 */
import { isKioskError, type Clock, type Logger, type TimerId } from "@kiosk/contracts";
import { fullJitterDelayMs, type BackoffPolicy } from "./backoff.ts";

/** What one pass reports. */
export type PassResult =
  /** Work was done and more may be waiting: the next pass starts at once. */
  | { readonly kind: "progress" }
  /** Nothing more to do now: the next pass starts after the idle wait, or at once if nudged during this one. */
  | { readonly kind: "idle" }
  /** The pass failed: the next one starts after the back-off, and not before `retryAfterMs`. */
  | { readonly kind: "failed"; readonly code: string; readonly message: string; readonly retryAfterMs: number };

/** The last failure, as the health report shows it. */
export interface LoopError {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

/** The loop's state, for the health report. */
export interface RetryLoopState {
  readonly lastError: LoopError | null;
  readonly consecutiveFailures: number;
  /** When the next pass is scheduled (kiosk clock), or null while one runs or none is scheduled. */
  readonly nextAttemptAtMs: number | null;
  readonly inFlight: boolean;
}

/** What the loop logs, in the words of the work it runs. */
export interface RetryLoopMessages {
  /** Logged (warn) at the first failure and whenever the failure's code changes. */
  readonly failing: string;
  /** Logged (info) at the first success after failures. */
  readonly recovered: string;
  /** Logged (error) with a pass's exception that is not a `KioskError` (a bug). */
  readonly unexpected: string;
}

/** Dependencies and settings of {@linkcode RetryLoop}. */
export interface RetryLoopDeps {
  /** One pass of work. `signal` aborts when the loop stops. A thrown error counts as a failed pass. */
  readonly pass: (signal: AbortSignal) => Promise<PassResult>;
  readonly clock: Clock;
  readonly log: Logger;
  /** Source of numbers in [0, 1) for jitter. */
  readonly random: () => number;
  readonly backoff: BackoffPolicy;
  /** Wait after an idle pass, in milliseconds. */
  readonly idleMs: number;
  /** Longest back-off after a failure (central's `Retry-After` may still ask for longer), in milliseconds. */
  readonly maxRetryDelayMs?: number;
  readonly messages: RetryLoopMessages;
}

/**
 * Runs {@linkcode RetryLoopDeps.pass} until stopped. Construct, then
 * {@linkcode start} (or {@linkcode hold} when the work cannot run at all).
 */
export class RetryLoop {
  readonly #deps: RetryLoopDeps;
  #running = false;
  #timer: TimerId | undefined;
  #nextAttemptAtMs: number | null = null;
  #pass: Promise<void> | undefined;
  #abort: AbortController | undefined;
  #again = false;
  #failures = 0;
  #notBeforeMs = 0;
  #lastError: LoopError | null = null;

  constructor(deps: RetryLoopDeps) {
    this.#deps = deps;
  }

  get state(): RetryLoopState {
    return {
      lastError: this.#lastError,
      consecutiveFailures: this.#failures,
      nextAttemptAtMs: this.#nextAttemptAtMs,
      inFlight: this.#pass !== undefined,
    };
  }

  /** Starts the first pass at once. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule(0);
  }

  /** Records why the work cannot run (a missing setting), logs it, and never runs a pass. */
  hold(code: string, message: string): void {
    this.#lastError = { code, message, at: new Date(this.#deps.clock.now()).toISOString() };
    this.#deps.log.error(message);
  }

  /** Stops: no new pass starts, the running one is aborted and awaited. */
  async stop(reason: string): Promise<void> {
    this.#running = false;
    this.#clearTimer();
    this.#abort?.abort(new Error(reason));
    await this.#pass;
  }

  /** Runs a pass at once, skipping any back-off but not central's `Retry-After`. During a pass, another follows it. */
  nudge(): void {
    if (!this.#running) return;
    if (this.#pass) {
      this.#again = true;
      return;
    }
    this.#schedule(Math.max(0, this.#notBeforeMs - this.#deps.clock.now()));
  }

  /** Signals new work: runs a pass soon unless the loop is backing off. During a pass, another follows it. */
  notify(): void {
    if (!this.#running) return;
    if (this.#pass) {
      this.#again = true;
      return;
    }
    if (this.#failures === 0) this.#schedule(0);
  }

  /** Resolves when no pass is running (for orderly shutdown and tests). */
  async whenIdle(): Promise<void> {
    while (this.#pass) await this.#pass;
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#deps.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#nextAttemptAtMs = null;
  }

  #schedule(delayMs: number): void {
    if (!this.#running) return;
    this.#clearTimer();
    this.#nextAttemptAtMs = this.#deps.clock.now() + delayMs;
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#nextAttemptAtMs = null;
      if (this.#pass || !this.#running) return;
      this.#pass = this.#run().finally(() => {
        this.#pass = undefined;
      });
    }, delayMs);
  }

  async #run(): Promise<void> {
    const { clock, log, messages } = this.#deps;
    let delayMs: number;
    for (;;) {
      this.#again = false;
      const result = await this.#runPass();
      if (!this.#running) return;
      if (result.kind !== "failed") {
        if (this.#failures > 0) log.info(messages.recovered, { failures: this.#failures });
        this.#failures = 0;
        this.#lastError = null;
        this.#notBeforeMs = 0;
        if (result.kind === "progress" || this.#again) continue;
        delayMs = this.#deps.idleMs;
        break;
      }
      this.#failures += 1;
      if (this.#failures === 1 || this.#lastError?.code !== result.code) {
        log.warn(messages.failing, { code: result.code, reason: result.message });
      }
      this.#lastError = { code: result.code, message: result.message, at: new Date(clock.now()).toISOString() };
      this.#notBeforeMs = clock.now() + result.retryAfterMs;
      const backoffMs = Math.min(this.#deps.maxRetryDelayMs ?? Number.POSITIVE_INFINITY, fullJitterDelayMs(this.#failures, this.#deps.backoff, this.#deps.random));
      delayMs = Math.max(backoffMs, result.retryAfterMs);
      break;
    }
    this.#schedule(delayMs);
  }

  async #runPass(): Promise<PassResult> {
    const controller = new AbortController();
    this.#abort = controller;
    try {
      return await this.#deps.pass(controller.signal);
    } catch (error) {
      if (isKioskError(error)) return { kind: "failed", code: error.code, message: error.message, retryAfterMs: 0 };
      if (this.#running) this.#deps.log.error(this.#deps.messages.unexpected, { error });
      return { kind: "failed", code: "internal", message: `${this.#deps.messages.unexpected}: ${error instanceof Error ? error.message : String(error)}`, retryAfterMs: 0 };
    } finally {
      this.#abort = undefined;
    }
  }
}
