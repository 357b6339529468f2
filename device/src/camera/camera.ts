/**
 * The camera port. A camera is a long-lived service that keeps only its
 * newest frame: a consumer slower than the camera (face detection at 6–10 fps
 * against a 30 fps sensor) always gets the freshest image, and the latency
 * between the sensor and the consumer never grows. V4L2 capture through
 * ffmpeg, replayed files and, later, a second infrared sensor all implement
 * it; the composition root injects one.
 */
import type { DeviceStatus, KioskError, Service } from "@kiosk/contracts";

/**
 * Which sensor a frame comes from. Hall terminals pair an RGB camera with a
 * near-infrared one for liveness (kiosk.md §1.5); the IR source is a second
 * `Camera` with `channel: "ir"`.
 */
export const FRAME_CHANNELS = { rgb: "rgb", ir: "ir" } as const;

/** One of {@linkcode FRAME_CHANNELS}. */
export type FrameChannel = (typeof FRAME_CHANNELS)[keyof typeof FRAME_CHANNELS];

/** One captured image, as a complete JPEG file. */
export interface CameraFrame {
  /** 1 for the first frame a camera publishes, then +1 per frame; it keeps counting across reconnects. */
  readonly seq: number;
  /** When the kiosk received the frame's last byte, in epoch ms on the camera's `Clock` (not a sensor timestamp). */
  readonly capturedAtMs: number;
  /** Width in pixels, read from the JPEG header. */
  readonly width: number;
  /** Height in pixels, read from the JPEG header. */
  readonly height: number;
  readonly format: "jpeg";
  /**
   * The whole JPEG file, SOI to EOI. Read-only: a capture never reuses the
   * buffer for a later frame, but a looping replay hands out the same image again.
   */
  readonly bytes: Uint8Array;
  readonly channel: FrameChannel;
}

/** A JPEG image before it becomes a {@linkcode CameraFrame}: what a splitter or a file reader produces. */
export interface JpegImage {
  readonly bytes: Uint8Array;
  readonly width: number;
  readonly height: number;
}

/**
 * What a camera reports besides frames.
 *
 * - `camera-ready`: the first frame after a start or a reconnect arrived.
 * - `camera-lost`: the source stopped delivering (ffmpeg died, the device
 *   vanished, frames stalled, a replay failed). A retryable `error` means a
 *   reconnect follows; a non-retryable one (`missing-dependency`) means the
 *   camera gave up and its state is `error`.
 * - `camera-reconnecting`: reconnect attempt `attempt` (1-based) starts in `delayMs`.
 * - `camera-ended`: a replay that does not loop played its last frame.
 */
export type CameraEvent =
  | { readonly type: "camera-ready"; readonly atMs: number; readonly width: number; readonly height: number }
  | { readonly type: "camera-lost"; readonly atMs: number; readonly error: KioskError }
  | { readonly type: "camera-reconnecting"; readonly atMs: number; readonly attempt: number; readonly delayMs: number }
  | { readonly type: "camera-ended"; readonly atMs: number; readonly frames: number };

/** Running totals of a camera, for diagnostics and the technician self-test. */
export interface CameraCounters {
  /** Frames published. */
  readonly frames: number;
  /** Frames replaced by a newer one before anyone pulled them with `latest()` or `nextFrame()`. */
  readonly replaced: number;
  /** `camera-lost` events. */
  readonly lost: number;
  /** Reconnect attempts scheduled. */
  readonly reconnectAttempts: number;
  /** Bytes dropped because they were not part of a complete JPEG (garbage, truncated or oversized frames). */
  readonly droppedBytes: number;
  /** Frames or images dropped as damaged: truncated, oversized, undecodable. */
  readonly badFrames: number;
}

/** Options of {@linkcode Camera.nextFrame}. */
export interface NextFrameOptions {
  /**
   * Resolve with a frame whose `seq` is greater than this. Defaults to the
   * `seq` of the newest frame now, so the call waits for a frame not seen yet.
   * A loop that passes the previous frame's `seq` gets the newest frame at
   * once when it fell behind, without a backlog.
   */
  readonly after?: number;
  /** Rejects the wait with the signal's reason when it aborts. */
  readonly signal?: AbortSignal;
}

/**
 * A source of frames: a V4L2 camera, a replayed file sequence, later an IR
 * sensor.
 *
 * `start()` returns once capture is under way, not when the first frame is in:
 * a camera that is unplugged at boot reports `unavailable` and keeps trying.
 * `start()` rejects only for what retrying cannot fix (a missing ffmpeg, a
 * replay folder that does not exist). `stop()` ends capture, leaves no child
 * process, and rejects pending `nextFrame()` calls with `shutting-down`.
 *
 * @example
 * ```ts
 * await camera.start();
 * let seq: number | undefined;
 * for (;;) {
 *   const frame = await camera.nextFrame({ after: seq, signal });
 *   seq = frame.seq;
 *   await detectFace(frame); // slow: the next call returns the newest frame, skipping the rest
 * }
 * ```
 */
export interface Camera extends Service {
  readonly channel: FrameChannel;
  /** The newest frame, or `undefined` before the first one. */
  latest(): CameraFrame | undefined;
  /**
   * Resolves with the newest frame newer than `options.after`, waiting for one
   * when there is none. A camera that is lost and reconnecting keeps the wait
   * open; pass a `signal` to bound it.
   *
   * @throws {KioskError} `shutting-down` when the camera is stopped, or
   *   `device-unavailable` (not retryable) when a replay ended, and no newer frame is held.
   */
  nextFrame(options?: NextFrameOptions): Promise<CameraFrame>;
  /**
   * Calls `listener` synchronously with every frame as it arrives; returns a
   * function that removes it. Keep listeners cheap (a preview, a counter):
   * slow consumers use `nextFrame()`.
   */
  onFrame(listener: (frame: CameraFrame) => void): () => void;
  /** Registers a listener for {@linkcode CameraEvent}s; returns a function that removes it. */
  onEvent(listener: (event: CameraEvent) => void): () => void;
  /** The device status in the shape the health endpoint and heartbeats use. */
  status(): DeviceStatus;
  counters(): CameraCounters;
}

/** A packed 8-bit RGB image: `data[(y·width + x)·3 + c]`, c = 0 red, 1 green, 2 blue. */
export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Turns a JPEG frame into pixels for the face engine. */
export interface FrameDecoder {
  /**
   * Decodes `frame` to packed RGB.
   * @throws {SyntaxError} when the bytes are not a decodable JPEG.
   */
  decode(frame: Pick<CameraFrame, "bytes">): Promise<RgbFrame>;
}
