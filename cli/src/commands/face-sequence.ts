/**
 * `./kiosk face sequence --photo LIVE.jpg --kind still|blink|turn-left|turn-right --out DIR [--frames N] [--seed N]`:
 * makes a replay frame sequence from one photo (use CC BY photos only, such
 * as the London Set fixtures) for the replay camera, the quality gate and the
 * liveness challenge:
 *
 * - `still`: the photo held up to the camera (printed-photo attack): the
 *   same frame with a pixel or two of jitter;
 * - `blink`: the eyes painted shut for a few frames, over the eye contours
 *   of the mesh the face engine finds on the photo;
 * - `turn-left` / `turn-right`: the head turned to the subject's own left or
 *   right and back (a warp that moves the nose sideways).
 *
 * Writes `frame-0001.jpg`, `frame-0002.jpg`, … (JPEG quality 92, the photo's
 * size) to DIR, creating it, and prints one JSON object
 * `{"kind","frames","out","files","width","height"}`. Exit 0 on success, 1
 * when the engine failed, 2 for bad usage, an unreadable photo or a photo
 * without a face.
 */
import { seededRandom } from "@kiosk/contracts";
import { createFaceEngine, encodeJpeg } from "@kiosk/edge-server";
import { makeFaceSequence, MIN_SEQUENCE_FRAMES, SEQUENCE_KINDS, type SequenceKind } from "@kiosk/edge-server/testing";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { loadFaceConfig, loadImage, reportFailure, stderrLogger } from "./face-support.ts";
import { wholeNumber } from "../flags.ts";

/** Frames made when `--frames` is not given: 6 at the kiosk's 5–10 fps is about one second. */
export const DEFAULT_SEQUENCE_FRAMES = 6;

interface Options {
  readonly photo: string;
  readonly kind: SequenceKind;
  readonly out: string;
  readonly frames: number;
  readonly seed: number | undefined;
}

function parse(args: string[], cwd: string): Options {
  const { values } = parseArgs({
    args,
    options: { photo: { type: "string" }, kind: { type: "string" }, out: { type: "string" }, frames: { type: "string" }, seed: { type: "string" } },
  });
  if (!values.photo) throw new RangeError("Missing --photo: expected the path of a photo with one face");
  if (!values.out) throw new RangeError("Missing --out: expected the folder to write the frames to");
  const kind = values.kind;
  if (!SEQUENCE_KINDS.includes(kind as SequenceKind)) throw new RangeError(`Invalid --kind "${kind ?? ""}": expected one of ${SEQUENCE_KINDS.join(", ")}`);
  return {
    photo: resolve(cwd, values.photo),
    kind: kind as SequenceKind,
    out: resolve(cwd, values.out),
    frames: wholeNumber(values.frames, "--frames", MIN_SEQUENCE_FRAMES) ?? DEFAULT_SEQUENCE_FRAMES,
    seed: wholeNumber(values.seed, "--seed", 0),
  };
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = parse(args, io.cwd);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const loaded = await loadImage(options.photo);
  if (!loaded.ok) {
    io.err(`${loaded.message}\n`);
    return EXIT.usage;
  }
  let config;
  try {
    config = loadFaceConfig(io);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  // One photo to analyse: one worker.
  const engine = createFaceEngine({ ...config, workers: 1 }, stderrLogger(io, "face-sequence"));
  try {
    await engine.start();
    const photo = loaded.image;
    const analysis = await engine.analyze({ width: photo.width, height: photo.height, data: new Uint8Array(photo.data) });
    const face = analysis.main;
    if (!face) {
      io.err(`No face found in "${options.photo}": expected a photo with one face\n`);
      return EXIT.usage;
    }
    const frames = makeFaceSequence(photo, face, options.kind, {
      frames: options.frames,
      ...(options.seed === undefined ? {} : { random: seededRandom(options.seed) }),
    });
    await mkdir(options.out, { recursive: true });
    const files: string[] = [];
    for (const [i, frame] of frames.entries()) {
      const name = `frame-${String(i + 1).padStart(4, "0")}.jpg`;
      await writeFile(join(options.out, name), await encodeJpeg(frame, 92));
      files.push(name);
    }
    io.out(`${JSON.stringify({ kind: options.kind, frames: frames.length, out: options.out, files, width: photo.width, height: photo.height })}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(io, "Making the face sequence failed", error);
  } finally {
    await engine.stop();
  }
}
