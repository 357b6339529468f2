/**
 * The state every camera adapter shares: the newest-frame slot, frame
 * numbering, listeners, events and the device status. Adapters own the I/O
 * (a process, files) and report what happens through this class, so the
 * behaviour consumers see is the same for every source.
 */
import { DEVICE_STATES, KioskError, silentLogger, type Clock, type DeviceState, type DeviceStatus, type Logger } from "@kiosk/contracts";
import { Listeners } from "../transport/listeners.ts";
import type { CameraCounters, CameraEvent, CameraFrame, FrameChannel, JpegImage, NextFrameOptions } from "./camera.ts";
import { LatestFrameSlot } from "./latest-frame-slot.ts";

/** Options of {@linkcode CameraCore}. */
export interface CameraCoreOptions {
  /** The adapter kind reported in the status: `v4l2`, `lavfi`, `replay`. */
  readonly kind: string;
  readonly channel: FrameChannel;
  /** A non-personal description for the status, such as `/dev/video0 640x480@30 mjpeg`. */
  readonly detail: string;
  readonly clock: Clock;
  readonly log?: Logger;
}

/** Counts an adapter adds to the core's own in {@linkcode CameraCore.counters}. */
export interface CameraSourceCounters {
  readonly droppedBytes: number;
  readonly badFrames: number;
}

/**
 * Shared camera state. The read side mirrors the {@linkcode Camera} port, so
 * an adapter delegates to it; the write side (`starting`, `publish`, `lost`,
 * `reconnecting`, `ended`, `failed`, `stopped`) is for the adapter only.
 */
export class CameraCore {
  readonly channel: FrameChannel;
  readonly #kind: string;
  readonly #detail: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #slot = new LatestFrameSlot<CameraFrame>();
  readonly #frameListeners = new Listeners<CameraFrame>();
  readonly #eventListeners = new Listeners<CameraEvent>();
  #state: DeviceState = DEVICE_STATES.stopped;
  #sinceMs: number;
  #error: KioskError | undefined;
  #ended = false;
  #seq = 0;
  #lost = 0;
  #reconnectAttempts = 0;

  constructor(options: CameraCoreOptions) {
    this.channel = options.channel;
    this.#kind = options.kind;
    this.#detail = options.detail;
    this.#clock = options.clock;
    this.#log = options.log ?? silentLogger;
    this.#sinceMs = options.clock.now();
  }

  /** The current device state. */
  get state(): DeviceState {
    return this.#state;
  }

  latest(): CameraFrame | undefined {
    return this.#slot.latest();
  }

  nextFrame(options: NextFrameOptions = {}): Promise<CameraFrame> {
    return this.#slot.next(options.after, options.signal);
  }

  onFrame(listener: (frame: CameraFrame) => void): () => void {
    return this.#frameListeners.add(listener);
  }

  onEvent(listener: (event: CameraEvent) => void): () => void {
    return this.#eventListeners.add(listener);
  }

  status(): DeviceStatus {
    const frames = this.#ended ? `; ended after ${this.#seq} frames` : "";
    return {
      kind: this.#kind,
      state: this.#state,
      since: new Date(this.#sinceMs).toISOString(),
      detail: `${this.#detail}${frames}`.slice(0, 200),
      ...(this.#error && (this.#state === DEVICE_STATES.unavailable || this.#state === DEVICE_STATES.error)
        ? { error: { code: this.#error.code, message: this.#error.message } }
        : {}),
    };
  }

  /** The core's totals plus the adapter's `source` counts. */
  counters(source: CameraSourceCounters = { droppedBytes: 0, badFrames: 0 }): CameraCounters {
    return {
      frames: this.#seq,
      replaced: this.#slot.counters.replaced,
      lost: this.#lost,
      reconnectAttempts: this.#reconnectAttempts,
      droppedBytes: source.droppedBytes,
      badFrames: source.badFrames,
    };
  }

  /** The adapter is (re)starting from scratch: state `starting`, `nextFrame()` waits again. */
  starting(): void {
    this.#ended = false;
    this.#error = undefined;
    this.#slot.open();
    this.#setState(DEVICE_STATES.starting);
  }

  /**
   * Numbers `image` as the next frame, stores it as the newest and hands it
   * to the frame listeners. The first frame after a start or a loss makes the
   * camera `ready` and emits `camera-ready`.
   */
  publish(image: JpegImage): CameraFrame {
    const frame: CameraFrame = {
      seq: ++this.#seq,
      capturedAtMs: this.#clock.now(),
      width: image.width,
      height: image.height,
      format: "jpeg",
      bytes: image.bytes,
      channel: this.channel,
    };
    if (this.#state !== DEVICE_STATES.ready) {
      this.#error = undefined;
      this.#setState(DEVICE_STATES.ready);
      this.#log.info(`Camera ready: ${frame.width}x${frame.height}`, { kind: this.#kind, channel: this.channel });
      this.#emit({ type: "camera-ready", atMs: frame.capturedAtMs, width: frame.width, height: frame.height });
    }
    this.#slot.put(frame);
    this.#frameListeners.emit(frame);
    return frame;
  }

  /**
   * The source stopped delivering. State `unavailable` when `error` is
   * retryable (a reconnect follows), `error` when it is not.
   */
  lost(error: KioskError): void {
    this.#lost++;
    this.#error = error;
    this.#setState(error.retryable ? DEVICE_STATES.unavailable : DEVICE_STATES.error);
    this.#log.warn(`Camera lost: ${error.message}`, { kind: this.#kind, code: error.code });
    this.#emit({ type: "camera-lost", atMs: this.#clock.now(), error });
  }

  /** Reconnect attempt `attempt` (1-based) is scheduled in `delayMs`. */
  reconnecting(attempt: number, delayMs: number): void {
    this.#reconnectAttempts++;
    this.#log.debug(() => `Camera reconnect attempt ${attempt} in ${delayMs} ms`);
    this.#emit({ type: "camera-reconnecting", atMs: this.#clock.now(), attempt, delayMs });
  }

  /**
   * A finite source played its last frame: state `stopped`, `camera-ended`,
   * and `nextFrame()` rejects once the last frame was taken.
   */
  ended(): void {
    this.#ended = true;
    this.#setState(DEVICE_STATES.stopped);
    this.#slot.close(
      new KioskError("device-unavailable", `Camera "${this.#detail}" ended after ${this.#seq} frames: it does not loop`, {
        retryable: false,
        details: { kind: this.#kind, ended: true },
      }),
    );
    this.#log.info(`Camera ended after ${this.#seq} frames`, { kind: this.#kind });
    this.#emit({ type: "camera-ended", atMs: this.#clock.now(), frames: this.#seq });
  }

  /** Starting failed for good (a missing program, a bad path): state `error`, no event. */
  failed(error: KioskError): void {
    this.#error = error;
    this.#setState(DEVICE_STATES.error);
  }

  /** The adapter stopped: state `stopped` (an `error` state is kept), waits reject with `shutting-down`. */
  stopped(): void {
    if (this.#state !== DEVICE_STATES.error) this.#setState(DEVICE_STATES.stopped);
    this.#slot.close(new KioskError("shutting-down", `Camera "${this.#detail}" is stopped`, { details: { kind: this.#kind } }));
  }

  #setState(state: DeviceState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#sinceMs = this.#clock.now();
  }

  #emit(event: CameraEvent): void {
    this.#eventListeners.emit(event);
  }
}
