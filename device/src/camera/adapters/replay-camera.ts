/**
 * A camera that replays recorded material at a steady frame rate: a folder
 * of images (for the demo, tests and technicians checking a face-engine
 * change) or a video file. Consumers cannot tell it from a real camera,
 * except that a replay that does not loop ends with `camera-ended`.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { isKioskError, KioskError, silentLogger, sleep, systemClock, type Clock, type DeviceStatus, type Logger } from "@kiosk/contracts";
import sharp from "sharp";
import type { Camera, CameraCounters, CameraEvent, CameraFrame, FrameChannel, JpegImage, NextFrameOptions } from "../camera.ts";
import { CameraCore } from "../camera-core.ts";
import { ffmpegVideoReplayArgs } from "../ffmpeg-command.ts";
import { MjpegSplitter } from "../mjpeg-splitter.ts";
import { assertFfmpegAvailable, DEFAULT_FFMPEG_PATH, describeExit, spawnFfmpeg, type FfmpegProcess } from "./ffmpeg-process.ts";

/** Default replay rate, frames per second: what the kiosk camera delivers. */
export const DEFAULT_REPLAY_FPS = 30;

/** Default JPEG quality (1–100) for images that must be re-encoded (PNG, resized, rotated). */
export const DEFAULT_REPLAY_JPEG_QUALITY = 85;

/** File extensions read from an image folder (case-insensitive); other files are ignored. */
export const REPLAY_IMAGE_EXTENSIONS: readonly string[] = Object.freeze([".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff"]);

// Prepared images of a looping folder are kept in memory up to this size, so
// later passes do not decode and re-encode every PNG again (≈10 ms each).
const IMAGE_CACHE_BUDGET_BYTES = 64 * 1024 * 1024;

/**
 * What to replay: the images of a folder in name order (numbers compared as
 * numbers, so `frame2` comes before `frame10`), or a video file decoded by ffmpeg.
 */
export type ReplaySource = { readonly kind: "images"; readonly dir: string } | { readonly kind: "video"; readonly path: string };

/** Options of {@linkcode ReplayCamera}. */
export interface ReplayCameraOptions {
  readonly source: ReplaySource;
  /** Frames per second; a video is resampled to it. Default {@linkcode DEFAULT_REPLAY_FPS}. */
  readonly fps?: number;
  /** Start again after the last frame; `false` plays once and emits `camera-ended`. Default `true`. */
  readonly loop?: boolean;
  /** Scale every frame to cover this size and crop the centre; default: keep each image's size. */
  readonly size?: { readonly width: number; readonly height: number };
  /** Quality of re-encoded images, 1–100. Default {@linkcode DEFAULT_REPLAY_JPEG_QUALITY}. */
  readonly jpegQuality?: number;
  /** Which sensor the frames claim to come from. Default `rgb`. */
  readonly channel?: FrameChannel;
  /** The ffmpeg program for video sources. Default `ffmpeg`. */
  readonly ffmpegPath?: string;
  /** Time source for pacing and frame stamps. Default the system clock. */
  readonly clock?: Clock;
  readonly log?: Logger;
}

/** Yields prepared images one at a time; `undefined` at the end of one pass. */
interface FrameProducer {
  next(): Promise<JpegImage | undefined>;
  close(): Promise<void>;
}

interface Run {
  active: boolean;
  readonly abort: AbortController;
  producer: FrameProducer | undefined;
  done: Promise<void>;
}

/**
 * A {@linkcode Camera} that plays images or a video at `fps`.
 *
 * Frames are due at `start + n / fps` on the clock, so the rate does not
 * drift; each next image is prepared while the current one is shown. When
 * preparing falls behind by a whole frame (a slow disk), the schedule moves
 * instead of bursting to catch up, like a camera that drops frames.
 * Undecodable images are skipped and counted in `badFrames`.
 *
 * @example
 * ```ts
 * const camera = new ReplayCamera({ source: { kind: "images", dir: "/srv/kiosk/demo-faces" }, fps: 15 });
 * await camera.start();
 * ```
 */
export class ReplayCamera implements Camera {
  readonly name = "camera";
  readonly channel: FrameChannel;
  readonly #source: ReplaySource;
  readonly #fps: number;
  readonly #loop: boolean;
  readonly #size: { readonly width: number; readonly height: number } | undefined;
  readonly #jpegQuality: number;
  readonly #ffmpegPath: string;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #core: CameraCore;
  readonly #splitter = new MjpegSplitter();
  #run: Run | undefined;
  #badImages = 0;

  /** @throws {RangeError} for an fps, size or quality out of range. */
  constructor(options: ReplayCameraOptions) {
    this.#source = options.source;
    this.#fps = options.fps ?? DEFAULT_REPLAY_FPS;
    if (!Number.isFinite(this.#fps) || this.#fps <= 0 || this.#fps > 240) {
      throw new RangeError(`Invalid fps "${this.#fps}": expected a number above 0 and at most 240`);
    }
    this.#loop = options.loop ?? true;
    this.#size = options.size;
    if (this.#size) {
      for (const side of [this.#size.width, this.#size.height]) {
        if (!Number.isInteger(side) || side < 1 || side > 8192) throw new RangeError(`Invalid size "${this.#size.width}x${this.#size.height}": expected integers from 1 to 8192`);
      }
    }
    this.#jpegQuality = options.jpegQuality ?? DEFAULT_REPLAY_JPEG_QUALITY;
    if (!Number.isInteger(this.#jpegQuality) || this.#jpegQuality < 1 || this.#jpegQuality > 100) {
      throw new RangeError(`Invalid jpegQuality "${this.#jpegQuality}": expected an integer from 1 to 100`);
    }
    this.#ffmpegPath = options.ffmpegPath ?? DEFAULT_FFMPEG_PATH;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.channel = options.channel ?? "rgb";
    const what = this.#source.kind === "images" ? `images:${this.#source.dir}` : `video:${this.#source.path}`;
    const size = this.#size ? ` ${this.#size.width}x${this.#size.height}` : "";
    this.#core = new CameraCore({
      kind: "replay",
      channel: this.channel,
      detail: `${what}${size} @${this.#fps}fps ${this.#loop ? "loop" : "once"}`,
      clock: this.#clock,
      log: this.#log,
    });
  }

  /**
   * Checks the source and starts playing; resolves before the first frame.
   * Calling it while playing does nothing.
   *
   * @throws {KioskError} `config-invalid` when the folder or file does not
   *   exist or the folder holds no images; `missing-dependency` when a video
   *   needs ffmpeg and it is not installed. The state is then `error`.
   */
  async start(): Promise<void> {
    if (this.#run) return;
    let files: string[] = [];
    try {
      files = await this.#checkSource();
    } catch (error) {
      if (isKioskError(error)) this.#core.failed(error);
      throw error;
    }
    this.#core.starting();
    const run: Run = { active: true, abort: new AbortController(), producer: undefined, done: Promise.resolve() };
    this.#run = run;
    run.done = this.#play(run, files);
  }

  /** Stops playing, ends a video's ffmpeg and waits for it. Safe to call more than once. */
  async stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    if (run) {
      run.active = false;
      run.abort.abort();
      await run.producer?.close();
      await run.done;
    }
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
    return this.#core.counters({ droppedBytes: s.garbageBytes, badFrames: s.oversize + s.truncated + s.invalid + this.#badImages });
  }

  /** Returns the image files to play (empty for a video). */
  async #checkSource(): Promise<string[]> {
    const source = this.#source;
    if (source.kind === "video") {
      const info = await stat(source.path).catch((error: unknown) => {
        throw configError(`Replay video "${source.path}" does not exist or cannot be read`, error, source.path);
      });
      if (!info.isFile()) throw configError(`Replay video "${source.path}" is not a file`, undefined, source.path);
      assertFfmpegAvailable(this.#ffmpegPath);
      return [];
    }
    const names = await readdir(source.dir).catch((error: unknown) => {
      throw configError(`Replay folder "${source.dir}" does not exist or cannot be read`, error, source.dir);
    });
    const images = names
      .filter((name) => REPLAY_IMAGE_EXTENSIONS.includes(extname(name).toLowerCase()))
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
      .map((name) => join(source.dir, name));
    if (images.length === 0) {
      throw configError(`Replay folder "${source.dir}" holds no images: expected ${REPLAY_IMAGE_EXTENSIONS.join(", ")} files`, undefined, source.dir);
    }
    return images;
  }

  async #play(run: Run, files: readonly string[]): Promise<void> {
    const intervalMs = 1000 / this.#fps;
    // A single pass never needs an image twice.
    const cache = new ImageCache(this.#loop ? IMAGE_CACHE_BUDGET_BYTES : 0);
    let startMs: number | undefined;
    let n = 0;
    let passFrames = 0;
    try {
      run.producer = this.#producer(files, cache);
      for (;;) {
        const image = await run.producer.next();
        if (!run.active) return;
        if (image === undefined) {
          await run.producer.close();
          if (!this.#loop) {
            this.#core.ended();
            return;
          }
          // A pass with no playable frame would loop forever without output.
          if (passFrames === 0) throw new KioskError("device-unavailable", `Replay "${this.#describeSource()}" has no playable frame`, { retryable: false });
          passFrames = 0;
          run.producer = this.#producer(files, cache);
          continue;
        }
        passFrames++;
        startMs ??= this.#clock.now();
        // Whole milliseconds: timers have no finer grain, and fractional
        // epoch times (33.33… ms steps) would pile up float rounding.
        const waitMs = Math.round(startMs + n * intervalMs) - this.#clock.now();
        if (waitMs > 0) {
          await sleep(this.#clock, waitMs, run.abort.signal);
        } else if (-waitMs >= intervalMs) {
          // Behind by a whole frame or more: shift the schedule, do not burst.
          this.#log.debug(() => `Replay late by ${Math.round(-waitMs)} ms at frame ${n}`);
          startMs = this.#clock.now() - n * intervalMs;
        }
        if (!run.active) return;
        this.#core.publish(image);
        n++;
      }
    } catch (error) {
      if (!run.active) return;
      this.#core.lost(
        isKioskError(error)
          ? error
          : new KioskError("device-unavailable", `Replay "${this.#describeSource()}" failed`, { cause: error, retryable: false }),
      );
    } finally {
      await run.producer?.close();
    }
  }

  #producer(files: readonly string[], cache: ImageCache): FrameProducer {
    if (this.#source.kind === "video") return this.#videoProducer(this.#source.path);
    return this.#imageProducer(files, cache);
  }

  #imageProducer(files: readonly string[], cache: ImageCache): FrameProducer {
    let index = 0;
    return {
      next: async () => {
        while (index < files.length) {
          const at = index++;
          const cached = cache.get(at);
          if (cached !== undefined) return cached;
          const file = files[at] as string;
          try {
            const image = await prepareImage(await readFile(file), this.#size, this.#jpegQuality);
            cache.set(at, image);
            return image;
          } catch (error) {
            // Logged by position and type, not name: a technician's file names may name a person.
            this.#badImages++;
            this.#log.warn(`Skipping replay image ${at + 1} of ${files.length}: it cannot be decoded`, { ext: extname(file), error: String(error) });
          }
        }
        return undefined;
      },
      close: async () => {},
    };
  }

  #videoProducer(path: string): FrameProducer {
    const args = ffmpegVideoReplayArgs({ path, fps: this.#fps, ...(this.#size ? { size: this.#size } : {}) });
    const process: FfmpegProcess = spawnFfmpeg(this.#ffmpegPath, args);
    // Reading only when a frame is needed lets the pipe fill and pause ffmpeg:
    // the video is decoded at the replay rate, not ahead of it.
    const reader = process.stdout.getReader();
    const queue: JpegImage[] = [];
    this.#splitter.reset();
    let closed = false;
    return {
      next: async () => {
        while (queue.length === 0) {
          const { done, value } = await reader.read();
          if (done) {
            const exit = await process.exited;
            if (exit.code !== 0 && !closed) {
              throw new KioskError("device-unavailable", `Replay video "${path}" cannot be decoded: ffmpeg ${describeExit(exit)}`, {
                retryable: false,
                details: { exitCode: exit.code, signal: exit.signal },
              });
            }
            return undefined;
          }
          queue.push(...this.#splitter.push(value));
        }
        return queue.shift();
      },
      close: async () => {
        closed = true;
        process.kill();
        await process.exited;
      },
    };
  }

  #describeSource(): string {
    return this.#source.kind === "images" ? this.#source.dir : this.#source.path;
  }
}

/**
 * Images of the first pass, kept for later passes while they fit the budget.
 * Undecodable images are not cached, so they are retried (and counted) each pass.
 */
class ImageCache {
  readonly #images = new Map<number, JpegImage>();
  readonly #budgetBytes: number;
  #bytes = 0;
  #overBudget = false;

  constructor(budgetBytes: number) {
    this.#budgetBytes = budgetBytes;
  }

  get(index: number): JpegImage | undefined {
    return this.#images.get(index);
  }

  set(index: number, image: JpegImage): void {
    if (this.#overBudget) return;
    this.#bytes += image.bytes.length;
    if (this.#bytes > this.#budgetBytes) {
      this.#overBudget = true;
      this.#images.clear();
      return;
    }
    this.#images.set(index, image);
  }
}

/**
 * Turns an image file into a JPEG frame. A JPEG that needs no change is used
 * as is; anything else (PNG, another size, an EXIF rotation) is re-encoded
 * as 4:2:0 JPEG, the layout cameras and browsers all handle.
 */
async function prepareImage(bytes: Uint8Array, size: { readonly width: number; readonly height: number } | undefined, quality: number): Promise<JpegImage> {
  const meta = await sharp(bytes).metadata();
  const upright = meta.orientation === undefined || meta.orientation === 1;
  const sized = size === undefined || (meta.width === size.width && meta.height === size.height);
  if (meta.format === "jpeg" && upright && sized && meta.width !== undefined && meta.height !== undefined) {
    return { bytes: new Uint8Array(bytes), width: meta.width, height: meta.height };
  }
  let pipeline = sharp(bytes).rotate();
  if (size) pipeline = pipeline.resize({ width: size.width, height: size.height, fit: "cover" });
  const { data, info } = await pipeline.jpeg({ quality, chromaSubsampling: "4:2:0" }).toBuffer({ resolveWithObject: true });
  return { bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

function configError(message: string, cause: unknown, path: string): KioskError {
  return new KioskError("config-invalid", message, { ...(cause === undefined ? {} : { cause }), details: { path } });
}
