/**
 * ffmpeg command lines for the camera adapters: V4L2 capture (or a lavfi
 * test pattern in its place) and video replay, both writing a stream of JPEG
 * images to stdout for {@linkcode MjpegSplitter}. Pure: the adapters spawn
 * the process (toolchain.md row 5).
 */
import type { FrameChannel } from "./camera.ts";

/**
 * Pixel formats asked of a V4L2 camera (`-input_format`).
 * - `mjpeg`: the camera compresses; the stream is copied, not re-encoded
 *   (no CPU cost, and the only way most USB cameras reach 30 fps at 720p).
 * - `yuyv422`: raw 4:2:2, encoded to JPEG by ffmpeg.
 * - `gray`: 8-bit greyscale, how many near-infrared sensors deliver; encoded to JPEG.
 */
export const V4L2_INPUT_FORMATS = { mjpeg: "mjpeg", yuyv422: "yuyv422", gray: "gray" } as const;

/** One of {@linkcode V4L2_INPUT_FORMATS}. */
export type V4l2InputFormat = (typeof V4L2_INPUT_FORMATS)[keyof typeof V4L2_INPUT_FORMATS];

/**
 * What ffmpeg reads. `v4l2` is the real camera. `lavfi` replaces it with a
 * generated pattern (`testsrc2=size=640x480:rate=30`) so the whole pipeline
 * runs on machines without `/dev/video*`; `realtime` (default `true`) paces it
 * like a camera with `-re`, `false` runs it as fast as ffmpeg can.
 */
export type CaptureInput =
  | { readonly kind: "v4l2"; readonly device: string }
  | { readonly kind: "lavfi"; readonly graph: string; readonly realtime?: boolean };

/** Camera capture settings; every field has a default in {@linkcode DEFAULT_CAPTURE}. These become kiosk config. */
export interface CaptureOptions {
  /** What to read; default the V4L2 device {@linkcode DEFAULT_CAPTURE}`.device`. */
  readonly input?: CaptureInput;
  /** Requested frame width in pixels (V4L2 only; a lavfi graph sets its own). Default 640. */
  readonly width?: number;
  /** Requested frame height in pixels (V4L2 only). Default 480. */
  readonly height?: number;
  /** Requested frames per second (V4L2 only). Default 30. */
  readonly framerate?: number;
  /** Pixel format asked of the camera (V4L2 only). Default `mjpeg`. */
  readonly inputFormat?: V4l2InputFormat;
  /** JPEG quality when ffmpeg encodes (`-q:v`, 2 = best … 31 = worst). Default 5 (about libjpeg quality 85). */
  readonly jpegQscale?: number;
  /** Which sensor this is. Default `rgb`. */
  readonly channel?: FrameChannel;
}

/**
 * Defaults of {@linkcode CaptureOptions}. 640×480 is enough for a face
 * filling a third of the frame at counter distance and keeps detection at
 * ≈6–10 fps on two cores (toolchain.md row 3); 30 fps is what UVC cameras
 * deliver in MJPEG at that size.
 */
export const DEFAULT_CAPTURE = Object.freeze({
  device: "/dev/video0",
  width: 640,
  height: 480,
  framerate: 30,
  inputFormat: "mjpeg",
  jpegQscale: 5,
  channel: "rgb",
} as const satisfies { device: string; width: number; height: number; framerate: number; inputFormat: V4l2InputFormat; jpegQscale: number; channel: FrameChannel });

/** {@linkcode CaptureOptions} with every default applied. */
export interface ResolvedCapture {
  readonly input: CaptureInput;
  readonly width: number;
  readonly height: number;
  readonly framerate: number;
  readonly inputFormat: V4l2InputFormat;
  readonly jpegQscale: number;
  readonly channel: FrameChannel;
}

/** Largest frame side accepted (8K). */
const MAX_SIDE_PX = 8192;
const MAX_FRAMERATE = 240;
/** ffmpeg's mjpeg encoder quality scale (`-q:v`). */
const QSCALE_BEST = 2;
const QSCALE_WORST = 31;

// Flags every command starts with: errors only on stderr (the adapter keeps
// its tail for the error message), and never read stdin, which is not a tty.
const COMMON = ["-hide_banner", "-loglevel", "error", "-nostdin"];

// Output: one JPEG per frame on stdout. `-fps_mode passthrough` (ffmpeg 5.1
// or later; Debian 12 ships 5.1) stops ffmpeg from duplicating frames to hold
// a constant rate when the camera slows down (low light), which would show
// liveness a frozen face. `-flush_packets 1`
// makes the per-image flush explicit: ffmpeg 5.1's image2pipe already flushes
// each image (measured: no difference), but a build that buffered output
// would hold a small frame back until the next one filled the buffer.
const PIPE_OUTPUT = ["-fps_mode", "passthrough", "-flush_packets", "1", "-f", "image2pipe", "pipe:1"];

/**
 * Fills in the defaults of `options` and checks them.
 *
 * @throws {RangeError} for a size, frame rate or quality out of range, an
 *   unknown input format or channel, or an empty device path or graph.
 */
export function resolveCapture(options: CaptureOptions = {}): ResolvedCapture {
  const resolved: ResolvedCapture = {
    input: options.input ?? { kind: "v4l2", device: DEFAULT_CAPTURE.device },
    width: options.width ?? DEFAULT_CAPTURE.width,
    height: options.height ?? DEFAULT_CAPTURE.height,
    framerate: options.framerate ?? DEFAULT_CAPTURE.framerate,
    inputFormat: options.inputFormat ?? DEFAULT_CAPTURE.inputFormat,
    jpegQscale: options.jpegQscale ?? DEFAULT_CAPTURE.jpegQscale,
    channel: options.channel ?? DEFAULT_CAPTURE.channel,
  };
  assertSize(resolved.width, resolved.height);
  if (!Number.isFinite(resolved.framerate) || resolved.framerate <= 0 || resolved.framerate > MAX_FRAMERATE) {
    throw new RangeError(`Invalid framerate "${resolved.framerate}": expected a number above 0 and at most ${MAX_FRAMERATE}`);
  }
  if (!Object.values(V4L2_INPUT_FORMATS).includes(resolved.inputFormat)) {
    throw new RangeError(`Invalid inputFormat "${resolved.inputFormat}": expected one of ${Object.values(V4L2_INPUT_FORMATS).join(", ")}`);
  }
  assertQscale(resolved.jpegQscale);
  if (resolved.channel !== "rgb" && resolved.channel !== "ir") {
    throw new RangeError(`Invalid channel "${String(resolved.channel)}": expected "rgb" or "ir"`);
  }
  const input = resolved.input;
  if (input.kind === "v4l2" && input.device.length === 0) throw new RangeError("Invalid V4L2 device \"\": expected a path such as /dev/video0");
  if (input.kind === "lavfi" && input.graph.length === 0) throw new RangeError("Invalid lavfi graph \"\": expected a source such as testsrc2=size=640x480:rate=30");
  return resolved;
}

/**
 * The ffmpeg arguments (without the program) that capture `capture` and write
 * JPEG images to stdout. MJPEG from the camera is copied with the
 * `mjpeg2jpeg` filter, which adds the Huffman tables that many UVC cameras
 * leave out of each frame (decoders other than ffmpeg's need them); other
 * formats are encoded as 4:2:0 JPEG (`yuvj420p`, which every decoder and
 * Chromium's fake camera accept; gotcha 9).
 *
 * @example
 * ```ts
 * ffmpegCaptureArgs(resolveCapture({ input: { kind: "v4l2", device: "/dev/video2" } }));
 * // ["-hide_banner", …, "-f", "v4l2", "-input_format", "mjpeg", "-video_size", "640x480",
 * //  "-framerate", "30", "-i", "/dev/video2", "-map", "0:v:0", "-c:v", "copy", "-bsf:v", "mjpeg2jpeg", …, "pipe:1"]
 * ```
 */
export function ffmpegCaptureArgs(capture: ResolvedCapture): string[] {
  const input = capture.input;
  if (input.kind === "lavfi") {
    return [...COMMON, ...(input.realtime === false ? [] : ["-re"]), "-f", "lavfi", "-i", input.graph, "-map", "0:v:0", ...encodeJpeg(capture.jpegQscale), ...PIPE_OUTPUT];
  }
  const output = capture.inputFormat === "mjpeg" ? ["-c:v", "copy", "-bsf:v", "mjpeg2jpeg"] : encodeJpeg(capture.jpegQscale);
  return [
    ...COMMON,
    "-f",
    "v4l2",
    "-input_format",
    capture.inputFormat,
    "-video_size",
    `${capture.width}x${capture.height}`,
    "-framerate",
    String(capture.framerate),
    "-i",
    input.device,
    "-map",
    "0:v:0",
    ...output,
    ...PIPE_OUTPUT,
  ];
}

/** Options of {@linkcode ffmpegVideoReplayArgs}. */
export interface VideoReplayArgsOptions {
  /** The video file. */
  readonly path: string;
  /** Output frame rate: frames are dropped or repeated to reach it. */
  readonly fps: number;
  /** Scale and centre-crop every frame to this size; default: keep the video's size. */
  readonly size?: { readonly width: number; readonly height: number };
  /** `-q:v` of the JPEG encoder; default {@linkcode DEFAULT_CAPTURE}`.jpegQscale`. */
  readonly jpegQscale?: number;
}

/**
 * The ffmpeg arguments that decode a video file once, as fast as the reader
 * takes the images (the replay adapter paces them), into JPEG images on
 * stdout at a constant `fps`.
 *
 * @throws {RangeError} for an empty path, an fps out of range, a bad size or quality.
 */
export function ffmpegVideoReplayArgs(options: VideoReplayArgsOptions): string[] {
  if (options.path.length === 0) throw new RangeError("Invalid video path \"\": expected a file path");
  if (!Number.isFinite(options.fps) || options.fps <= 0 || options.fps > MAX_FRAMERATE) {
    throw new RangeError(`Invalid fps "${options.fps}": expected a number above 0 and at most ${MAX_FRAMERATE}`);
  }
  const qscale = options.jpegQscale ?? DEFAULT_CAPTURE.jpegQscale;
  assertQscale(qscale);
  const filters = [`fps=${options.fps}`];
  if (options.size) {
    const { width, height } = options.size;
    assertSize(width, height);
    // Cover, then crop the centre: the frame is filled like a camera's, with no bars.
    filters.push(`scale=${width}:${height}:force_original_aspect_ratio=increase`, `crop=${width}:${height}`);
  }
  return [...COMMON, "-i", options.path, "-map", "0:v:0", "-vf", filters.join(","), ...encodeJpeg(qscale), ...PIPE_OUTPUT];
}

function encodeJpeg(qscale: number): string[] {
  return ["-c:v", "mjpeg", "-pix_fmt", "yuvj420p", "-q:v", String(qscale)];
}

function assertSize(width: number, height: number): void {
  for (const [name, value] of [
    ["width", width],
    ["height", height],
  ] as const) {
    // 4:2:0 JPEG halves the chroma planes, so odd sides are rounded by encoders.
    if (!Number.isInteger(value) || value < 2 || value > MAX_SIDE_PX || value % 2 !== 0) {
      throw new RangeError(`Invalid ${name} "${value}": expected an even integer from 2 to ${MAX_SIDE_PX}`);
    }
  }
}

function assertQscale(qscale: number): void {
  if (!Number.isInteger(qscale) || qscale < QSCALE_BEST || qscale > QSCALE_WORST) {
    throw new RangeError(`Invalid jpegQscale "${qscale}": expected an integer from ${QSCALE_BEST} (best) to ${QSCALE_WORST}`);
  }
}
