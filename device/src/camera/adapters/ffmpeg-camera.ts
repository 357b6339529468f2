/**
 * A V4L2 camera read through an ffmpeg child process that writes JPEG images
 * to its stdout (toolchain.md row 5). ffmpeg handles the V4L2 ioctls, MJPEG
 * copying or JPEG encoding; this adapter splits the stream, keeps the newest
 * frame, watches for stalls and reconnects with back-off when ffmpeg dies or
 * the device vanishes.
 */
import { existsSync } from "node:fs";
import { isKioskError, KioskError, silentLogger, systemClock, type Clock, type DeviceStatus, type Logger, type TimerId } from "@kiosk/contracts";
import type { Camera, CameraCounters, CameraEvent, CameraFrame, FrameChannel, NextFrameOptions } from "../camera.ts";
import { CameraCore } from "../camera-core.ts";
import { ffmpegCaptureArgs, resolveCapture, type CaptureOptions, type ResolvedCapture } from "../ffmpeg-command.ts";
import { MjpegSplitter } from "../mjpeg-splitter.ts";
import { assertBackoffPolicy, DEFAULT_RECONNECT_BACKOFF, reconnectDelayMs, type BackoffPolicy } from "../reconnect-backoff.ts";
import { assertFfmpegAvailable, DEFAULT_FFMPEG_PATH, describeExit, spawnFfmpeg, type FfmpegProcess } from "./ffmpeg-process.ts";

/**
 * Default longest time without a frame before the camera counts as lost, in
 * ms. It covers opening a UVC camera and its auto-exposure start (about 1 s)
 * with margin; a USB camera that hangs without closing its device is caught
 * by this, since ffmpeg then waits forever.
 */
export const DEFAULT_FRAME_TIMEOUT_MS = 5000;

/** Options of {@linkcode FfmpegCamera}: the capture settings plus the adapter's own. */
export interface FfmpegCameraOptions extends CaptureOptions {
  /** The ffmpeg program, a name on `PATH` or a path. Default `ffmpeg`. */
  readonly ffmpegPath?: string;
  /** Longest time without a frame before the camera is lost and restarted, in ms. Default {@linkcode DEFAULT_FRAME_TIMEOUT_MS}. */
  readonly frameTimeoutMs?: number;
  /** Reconnect delays. Default {@linkcode DEFAULT_RECONNECT_BACKOFF}. */
  readonly backoff?: BackoffPolicy;
  /** Largest JPEG accepted, in bytes. Default {@linkcode DEFAULT_MAX_JPEG_BYTES}. */
  readonly maxFrameBytes?: number;
  /** Time source for frame stamps, the stall watchdog and back-off. Default the system clock. */
  readonly clock?: Clock;
  readonly log?: Logger;
}

interface Session {
  readonly process: FfmpegProcess;
  alive: boolean;
  startedAtMs: number;
  lastFrameAtMs: number | undefined;
}

/**
 * A {@linkcode Camera} over `ffmpeg -f v4l2 … -f image2pipe pipe:1`.
 *
 * Lifecycle: `start()` checks that ffmpeg exists and starts capture; frames
 * then make the camera `ready`. When ffmpeg exits, the device is missing, or
 * no frame arrives for `frameTimeoutMs`, it emits `camera-lost` (state
 * `unavailable`), then `camera-reconnecting` and retries after
 * 0.5 s, 1 s, 2 s … 10 s; the first frame resets the back-off.
 *
 * @example
 * ```ts
 * const camera = new FfmpegCamera({ input: { kind: "v4l2", device: "/dev/video0" }, width: 1280, height: 720 });
 * camera.onEvent((event) => log.info(event.type));
 * await camera.start();
 * const frame = await camera.nextFrame({ signal: AbortSignal.timeout(3000) });
 * ```
 */
export class FfmpegCamera implements Camera {
  readonly name = "camera";
  readonly channel: FrameChannel;
  readonly #capture: ResolvedCapture;
  readonly #ffmpegPath: string;
  readonly #frameTimeoutMs: number;
  readonly #backoff: BackoffPolicy;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #core: CameraCore;
  readonly #splitter: MjpegSplitter;
  readonly #detail: string;
  #running = false;
  #session: Session | undefined;
  #attempt = 0;
  #reconnectTimer: TimerId | undefined;
  #watchdogTimer: TimerId | undefined;

  /** @throws {RangeError} for invalid capture settings, timeout, back-off or frame cap. */
  constructor(options: FfmpegCameraOptions = {}) {
    this.#capture = resolveCapture(options);
    this.#ffmpegPath = options.ffmpegPath ?? DEFAULT_FFMPEG_PATH;
    this.#frameTimeoutMs = options.frameTimeoutMs ?? DEFAULT_FRAME_TIMEOUT_MS;
    if (!Number.isFinite(this.#frameTimeoutMs) || this.#frameTimeoutMs <= 0) {
      throw new RangeError(`Invalid frameTimeoutMs "${this.#frameTimeoutMs}": expected a number of ms above 0`);
    }
    this.#backoff = options.backoff ?? DEFAULT_RECONNECT_BACKOFF;
    assertBackoffPolicy(this.#backoff);
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.#splitter = new MjpegSplitter(options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes });
    this.channel = this.#capture.channel;
    this.#detail = describeCapture(this.#capture);
    this.#core = new CameraCore({ kind: this.#capture.input.kind, channel: this.channel, detail: this.#detail, clock: this.#clock, log: this.#log });
  }

  /** Process id of the running ffmpeg, for diagnostics; `undefined` between processes. */
  get pid(): number | undefined {
    return this.#session?.process.pid;
  }

  /**
   * Starts capturing. Resolves once ffmpeg is started (or, for a missing
   * device, once the first reconnect is scheduled), before the first frame.
   * Calling it while running does nothing.
   *
   * @throws {KioskError} `missing-dependency` when ffmpeg is not installed; the state is then `error`.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    try {
      assertFfmpegAvailable(this.#ffmpegPath);
    } catch (error) {
      if (isKioskError(error)) this.#core.failed(error);
      throw error;
    }
    this.#running = true;
    this.#attempt = 0;
    this.#core.starting();
    this.#connect();
  }

  /** Stops capturing, kills ffmpeg and waits until it is reaped. Safe to call more than once. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#clearTimers();
    const session = this.#session;
    this.#session = undefined;
    if (session) {
      session.alive = false;
      session.process.kill();
      await session.process.exited;
    }
    this.#splitter.reset();
    this.#core.stopped();
  }

  latest(): CameraFrame | undefined {
    return this.#core.latest();
  }

  nextFrame(options?: NextFrameOptions): Promise<CameraFrame> {
    return this.#core.nextFrame(options);
  }

  onFrame(listener: (frame: CameraFrame) => void): () => void {
    return this.#core.onFrame(listener);
  }

  onEvent(listener: (event: CameraEvent) => void): () => void {
    return this.#core.onEvent(listener);
  }

  status(): DeviceStatus {
    return this.#core.status();
  }

  counters(): CameraCounters {
    const s = this.#splitter.counters;
    return this.#core.counters({ droppedBytes: s.garbageBytes, badFrames: s.oversize + s.truncated + s.invalid });
  }

  #connect(): void {
    this.#reconnectTimer = undefined;
    if (!this.#running) return;
    const input = this.#capture.input;
    // Checked before spawning so an unplugged camera gives a clear message
    // instead of ffmpeg's, and costs no process start per retry.
    if (input.kind === "v4l2" && !existsSync(input.device)) {
      this.#onLost(
        new KioskError("device-unavailable", `Camera device "${input.device}" does not exist: check that the camera is plugged in and the configured device is right`, {
          details: { device: input.device },
        }),
      );
      return;
    }
    let process: FfmpegProcess;
    try {
      process = spawnFfmpeg(this.#ffmpegPath, ffmpegCaptureArgs(this.#capture));
    } catch (error) {
      this.#onLost(
        isKioskError(error)
          ? error
          : new KioskError("internal", `Cannot start ffmpeg for camera "${this.#detail}"`, { cause: error, retryable: true }),
      );
      return;
    }
    const session: Session = { process, alive: true, startedAtMs: this.#clock.now(), lastFrameAtMs: undefined };
    this.#session = session;
    this.#splitter.reset();
    this.#log.debug(() => `Started ffmpeg ${process.pid} for "${this.#detail}"`);
    void this.#pump(session);
    void process.exited.then((exit) => {
      if (!session.alive) return;
      this.#endSession(session);
      this.#onLost(
        new KioskError("device-unavailable", `Camera "${this.#detail}" stopped: ffmpeg ${describeExit(exit)}`, {
          details: { exitCode: exit.code, signal: exit.signal },
        }),
      );
    });
    this.#armWatchdog(this.#frameTimeoutMs);
  }

  async #pump(session: Session): Promise<void> {
    try {
      for await (const chunk of session.process.stdout) {
        if (!session.alive) break;
        for (const image of this.#splitter.push(chunk)) {
          session.lastFrameAtMs = this.#clock.now();
          this.#attempt = 0;
          this.#core.publish(image);
        }
      }
    } catch (error) {
      // The pipe breaks only when the process dies, which the exit handler reports.
      this.#log.debug(() => `ffmpeg stdout ended with an error: ${String(error)}`);
    }
  }

  #armWatchdog(delayMs: number): void {
    this.#watchdogTimer = this.#clock.setTimeout(() => this.#checkStall(), delayMs);
  }

  #checkStall(): void {
    this.#watchdogTimer = undefined;
    const session = this.#session;
    if (session === undefined || !session.alive) return;
    const idleMs = this.#clock.now() - (session.lastFrameAtMs ?? session.startedAtMs);
    if (idleMs < this.#frameTimeoutMs) {
      this.#armWatchdog(this.#frameTimeoutMs - idleMs);
      return;
    }
    this.#endSession(session);
    session.process.kill();
    this.#onLost(
      new KioskError("device-unavailable", `Camera "${this.#detail}" delivered no frame for ${idleMs} ms: restarting it`, {
        details: { idleMs },
      }),
    );
  }

  #endSession(session: Session): void {
    session.alive = false;
    if (this.#session === session) this.#session = undefined;
    if (this.#watchdogTimer !== undefined) {
      this.#clock.clearTimeout(this.#watchdogTimer);
      this.#watchdogTimer = undefined;
    }
  }

  #onLost(error: KioskError): void {
    if (!this.#running) return;
    this.#core.lost(error);
    // A missing ffmpeg does not come back by retrying; the state stays `error`.
    if (!error.retryable) return;
    this.#attempt++;
    const delayMs = reconnectDelayMs(this.#attempt, this.#backoff);
    this.#core.reconnecting(this.#attempt, delayMs);
    this.#reconnectTimer = this.#clock.setTimeout(() => this.#connect(), delayMs);
  }

  #clearTimers(): void {
    if (this.#reconnectTimer !== undefined) this.#clock.clearTimeout(this.#reconnectTimer);
    if (this.#watchdogTimer !== undefined) this.#clock.clearTimeout(this.#watchdogTimer);
    this.#reconnectTimer = undefined;
    this.#watchdogTimer = undefined;
  }
}

/** A non-personal description for status and messages: `v4l2:/dev/video0 640x480@30 mjpeg`. */
function describeCapture(capture: ResolvedCapture): string {
  const input = capture.input;
  if (input.kind === "lavfi") return `lavfi:${input.graph}`;
  return `v4l2:${input.device} ${capture.width}x${capture.height}@${capture.framerate} ${capture.inputFormat}`;
}
