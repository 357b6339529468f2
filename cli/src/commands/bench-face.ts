/**
 * `./kiosk bench face [--frames N] [--workers N]`: benchmarks the face engine
 * on 640×480 camera frames made from a CC BY fixture photo and prints one
 * JSON object:
 *
 * - `msPerFrame`: median latency of one guidance analysis (detection, mesh,
 *   iris, quality measures, antispoof and liveness; no embedding) on an idle engine;
 * - `fps`: guidance frames per second with every worker busy;
 * - `embedMs`: median latency of analysing one chosen frame with its embedding;
 * - `chipMs`: median latency of embedding the chip photo;
 * - `loadMs`: model load time (slowest worker), `startMs`: whole start incl. warm-up;
 * - `rssMB`: resident memory of the process (all workers) after the run.
 *
 * Exit 0 after a run, 1 when the engine failed, 2 for bad usage.
 */
import { createFaceEngine, resizeCover, type RgbImage } from "@kiosk/edge-server";
import { FACE_FIXTURES } from "@kiosk/edge-server/testing";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { loadFaceConfig, loadImage, mapConcurrent, median, reportFailure, round, stderrLogger } from "./face-support.ts";
import { wholeNumber } from "../flags.ts";

const FRAME_WIDTH = 640;
const FRAME_HEIGHT = 480;
/** Targets of the kiosk (guidance rate, latency of the matching frame, start-up). */
const TARGETS = { fps: 10, embedMs: 300, loadMs: 3000 } as const;

/**
 * 640×480 frames with the face pasted at different places on a soft
 * gradient, so consecutive frames differ as a live camera's do.
 */
async function makeFrames(photo: RgbImage, count: number): Promise<RgbImage[]> {
  const face = await resizeCover(photo, 300, 300);
  const frames: RgbImage[] = [];
  for (let n = 0; n < count; n++) {
    const data = new Uint8Array(FRAME_WIDTH * FRAME_HEIGHT * 3);
    for (let y = 0; y < FRAME_HEIGHT; y++) {
      for (let x = 0; x < FRAME_WIDTH; x++) {
        const o = (y * FRAME_WIDTH + x) * 3;
        data[o] = 90 + ((x * 60) / FRAME_WIDTH) | 0;
        data[o + 1] = 100 + ((y * 50) / FRAME_HEIGHT) | 0;
        data[o + 2] = 110 + (((x + y) * 30) / (FRAME_WIDTH + FRAME_HEIGHT)) | 0;
      }
    }
    const left = 100 + ((n * 37) % 240);
    const top = 60 + ((n * 23) % 120);
    for (let y = 0; y < face.height; y++) {
      const src = face.data.subarray(y * face.width * 3, (y + 1) * face.width * 3);
      data.set(src, ((top + y) * FRAME_WIDTH + left) * 3);
    }
    frames.push({ width: FRAME_WIDTH, height: FRAME_HEIGHT, data });
  }
  return frames;
}

// The engine takes ownership of a frame's buffer, so each call gets a copy,
// as a camera hands over a fresh buffer per frame.
function copy(frame: RgbImage): RgbImage {
  return { width: frame.width, height: frame.height, data: new Uint8Array(frame.data) };
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let frameCount: number;
  let config;
  try {
    const { values } = parseArgs({ args, options: { frames: { type: "string" }, workers: { type: "string" } } });
    frameCount = wholeNumber(values.frames, "--frames", 4) ?? 60;
    const workers = wholeNumber(values.workers, "--workers");
    config = loadFaceConfig(io, workers === undefined ? {} : { workers });
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const [photo, chipPhoto] = await Promise.all([loadImage(FACE_FIXTURES.liveA), loadImage(FACE_FIXTURES.chipA)]);
  if (!photo.ok || !chipPhoto.ok) {
    io.err(`Cannot load the fixture photos: ${!photo.ok ? photo.message : !chipPhoto.ok ? chipPhoto.message : ""}\n`);
    return EXIT.failure;
  }
  const frames = await makeFrames(photo.image, 8);
  const engine = createFaceEngine(config, stderrLogger(io, "bench-face"));
  try {
    const started = performance.now();
    await engine.start();
    const startMs = performance.now() - started;
    const workers = engine.runningWorkers;

    const single: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t0 = performance.now();
      const analysis = await engine.analyze(copy(frames[i % frames.length] as RgbImage));
      single.push(performance.now() - t0);
      if (!analysis.main) throw new Error("The fixture face was not found in a benchmark frame");
    }

    const t0 = performance.now();
    await mapConcurrent(
      Array.from({ length: frameCount }, (_, i) => frames[i % frames.length] as RgbImage),
      workers,
      (frame) => engine.analyze(copy(frame)),
    );
    const fps = frameCount / ((performance.now() - t0) / 1000);

    const embed: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      const analysis = await engine.analyze(copy(frames[i % frames.length] as RgbImage), { embed: true });
      embed.push(performance.now() - t1);
      if (!analysis.main?.embedding) throw new Error("No embedding for a benchmark frame");
    }
    const chip: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      await engine.embedChip(copy(chipPhoto.image));
      chip.push(performance.now() - t1);
    }
    const rssMB = process.memoryUsage().rss / 2 ** 20;
    const result = {
      msPerFrame: round(median(single), 1),
      fps: round(fps, 1),
      embedMs: round(median(embed), 1),
      chipMs: round(median(chip), 1),
      workers,
      loadMs: round(engine.loadMs, 0),
      startMs: round(startMs, 0),
      rssMB: round(rssMB, 0),
      frames: frameCount,
      frameSize: `${FRAME_WIDTH}x${FRAME_HEIGHT}`,
      model: engine.model.model,
      targets: {
        fps: { target: `>= ${TARGETS.fps}`, met: fps >= TARGETS.fps },
        embedMs: { target: `<= ${TARGETS.embedMs}`, met: median(embed) <= TARGETS.embedMs },
        loadMs: { target: `< ${TARGETS.loadMs}`, met: engine.loadMs < TARGETS.loadMs },
      },
    };
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(io, "The face benchmark failed", error);
  } finally {
    await engine.stop();
  }
}
