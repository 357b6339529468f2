/**
 * Face captures through the real engine (one worker) on frames made from the
 * CC BY fixture photos: the genuine holder who performs the challenge is
 * matched, another person is not, a held-up photo is not live, a face
 * swapped after the challenge is caught, and guidance leads into position.
 * Frames come from a scripted source stamped 200 ms apart, so every frame is
 * analysed whatever the machine's speed.
 */
import { createLogger } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { createFaceEngine } from "../adapters/face/create-face-engine.ts";
import { FACE_FIXTURES } from "../adapters/face/face-fixtures.ts";
import { makeFaceSequence } from "../adapters/face/face-sequence.ts";
import { decodeImage } from "../adapters/face/image-decoder.ts";
import type { WorkerFaceEngine } from "../adapters/face/worker-face-engine.ts";
import { seededRandom } from "@kiosk/contracts";
import { defaultFaceConfig, type FaceConfig } from "../face-config.ts";
import type { FaceEngine, LiveFrame, LiveFrameSource, MainFace, RgbImage } from "../ports.ts";
import { FaceCapture, type CaptureUpdate, type FaceCaptureSettings } from "./face-capture.ts";

const log = createLogger({ ns: "test", level: "error", sink: () => undefined });
const FRAME_MS = 200;
const ENGINE_TEST_MS = 60_000;

function copy(image: RgbImage): RgbImage {
  return { width: image.width, height: image.height, data: new Uint8Array(image.data) };
}

/** Plays `frames` in order, `FRAME_MS` apart from the clock's time, then repeats the last one; counts what it served. */
class ScriptedFrames implements LiveFrameSource {
  readonly #frames: readonly RgbImage[];
  readonly #startMs: number;
  served = 0;

  constructor(frames: readonly RgbImage[], startMs: number) {
    this.#frames = frames;
    this.#startMs = startMs;
  }

  async next(signal: AbortSignal): Promise<LiveFrame> {
    signal.throwIfAborted();
    const image = this.#frames[Math.min(this.served, this.#frames.length - 1)] as RgbImage;
    const atMs = this.#startMs + this.served * FRAME_MS;
    this.served++;
    return { image: copy(image), atMs };
  }
}

interface SettingsOverrides {
  readonly mode?: FaceConfig["liveness"]["mode"];
  readonly actions?: FaceConfig["liveness"]["active"]["allowedActions"];
  readonly timeLimitMs?: number;
  readonly challengeTimeLimitMs?: number;
}

function settings(overrides: SettingsOverrides = {}): FaceCaptureSettings {
  const config = defaultFaceConfig();
  return {
    ...config,
    capture: { ...config.capture, timeLimitMs: overrides.timeLimitMs ?? 30_000 },
    liveness: {
      ...config.liveness,
      mode: overrides.mode ?? "both",
      active: {
        ...config.liveness.active,
        actions: 1,
        allowedActions: overrides.actions ?? ["blink"],
        timeLimitMs: overrides.challengeTimeLimitMs ?? config.liveness.active.timeLimitMs,
      },
    },
  };
}

describe("FaceCapture on real frames through the engine", () => {
  let engine: WorkerFaceEngine;
  let liveA: RgbImage;
  let chipA: RgbImage;
  let chipB: RgbImage;
  let faceA: MainFace;

  beforeAll(async () => {
    const read = async (path: string) => decodeImage(new Uint8Array(await readFile(path)));
    [liveA, chipA, chipB] = [await read(FACE_FIXTURES.liveA), await read(FACE_FIXTURES.chipA), await read(FACE_FIXTURES.chipB)];
    engine = createFaceEngine({ ...defaultFaceConfig(), workers: 1 }, log);
    await engine.start();
    const main = (await engine.analyze(copy(liveA))).main;
    if (!main) throw new Error("expected a face in the live fixture");
    faceA = main;
  });
  afterAll(async () => {
    await engine.stop();
  });

  function sequence(kind: "still" | "blink" | "turn-left", frames = 6): RgbImage[] {
    return makeFaceSequence(liveA, faceA, kind, { frames, random: seededRandom(5) });
  }

  async function capture(chip: RgbImage, frames: readonly RgbImage[], captureSettings: FaceCaptureSettings, signal?: AbortSignal) {
    const clock = new FakeClock();
    const source = new ScriptedFrames(frames, clock.now());
    const updates: CaptureUpdate[] = [];
    const run = new FaceCapture({ engine, frames: source, settings: captureSettings, clock, random: seededRandom(1) });
    const outcome = await run.run(copy(chip), { onUpdate: (u) => updates.push(u), ...(signal ? { signal } : {}) });
    return { outcome, updates, served: source.served };
  }

  test("the holder who blinks when asked is matched on the best good frames", async () => {
    const { outcome, updates } = await capture(chipA, [...sequence("blink"), ...sequence("still", 5)], settings());
    expect(outcome).toMatchObject({ outcome: "matched", decision: { match: true } });
    if (outcome.outcome !== "matched") throw new Error("unreachable");
    expect(outcome.decision.similarity).toBeGreaterThanOrEqual(engine.threshold.value);
    expect(updates).toContainEqual({ type: "challenge", action: "blink", step: 0, of: 1 });
    expect(updates[0]).toEqual({ type: "guidance", code: null });
  }, ENGINE_TEST_MS);

  test("another person's chip photo is not matched, though the live face passes liveness", async () => {
    const { outcome } = await capture(chipB, [...sequence("blink"), ...sequence("still", 5)], settings());
    expect(outcome).toMatchObject({ outcome: "not-matched", decision: { match: false } });
  }, ENGINE_TEST_MS);

  test("a photo held up to the camera never finishes the challenge: not live", async () => {
    const { outcome, served } = await capture(chipA, sequence("still", 5), settings({ challengeTimeLimitMs: 3_000 }));
    expect(outcome).toMatchObject({ outcome: "not-live", liveness: { live: false, reason: "timeout" } });
    expect(served).toBeGreaterThan(3_000 / FRAME_MS);
  }, ENGINE_TEST_MS);

  test("the capture's own time limit ends it with the challenge still asked for", async () => {
    const { outcome, served } = await capture(chipA, sequence("still", 5), settings({ timeLimitMs: 5_000 }));
    expect(outcome).toMatchObject({ outcome: "timed-out", guidance: null, challenge: { state: "running", action: "blink" } });
    expect(served).toBe(5_000 / FRAME_MS + 2);
  }, ENGINE_TEST_MS);

  test("turning the wrong way fails the challenge as not live", async () => {
    const { outcome } = await capture(chipA, sequence("turn-left"), settings({ actions: ["turn-right"] }));
    expect(outcome).toMatchObject({ outcome: "not-live", liveness: { live: false, reason: "wrong-action" } });
  }, ENGINE_TEST_MS);

  test("a face that changes during the capture is caught as face-swapped", async () => {
    const liveB = await decodeImage(new Uint8Array(await readFile(FACE_FIXTURES.liveB)));
    const mainB = (await engine.analyze(copy(liveB))).main;
    if (!mainB) throw new Error("expected a face in the live fixture");
    const blinkB = makeFaceSequence(liveB, mainB, "blink", { frames: 6, random: seededRandom(5) });
    const { outcome } = await capture(chipA, [...sequence("still", 5).slice(0, 2), ...blinkB], settings());
    expect(outcome).toMatchObject({ outcome: "not-live", liveness: { live: false, reason: "face-swapped" } });
  }, ENGINE_TEST_MS);

  test("guidance leads into position: a dark frame asks for light, then the capture goes on", async () => {
    const dark = { ...liveA, data: liveA.data.map((v) => Math.round(v * 0.25)) };
    const { outcome, updates } = await capture(chipA, [dark, dark, ...sequence("still", 5)], settings({ mode: "passive" }));
    expect(updates.slice(0, 2)).toEqual([
      { type: "guidance", code: "too-dark" },
      { type: "guidance", code: null },
    ]);
    expect(outcome).toMatchObject({ outcome: "matched" });
  }, ENGINE_TEST_MS);

  test("a chip photo without a face ends the capture before any frame is read", async () => {
    const blank = { width: 102, height: 126, data: new Uint8Array(102 * 126 * 3).fill(128) };
    const { outcome, served } = await capture(blank, sequence("still"), settings());
    expect(outcome).toEqual({ outcome: "chip-unusable", frames: 0 });
    expect(served).toBe(0);
  }, ENGINE_TEST_MS);

  test("a camera that delivers no frame ends the capture at the time limit", async () => {
    const clock = new FakeClock();
    let waiting = false;
    const silent: LiveFrameSource = {
      next: (signal) =>
        new Promise((_, reject) => {
          waiting = true;
          signal.addEventListener("abort", () => reject(signal.reason), { once: true });
        }),
    };
    const run = new FaceCapture({ engine, frames: silent, settings: settings(), clock, random: seededRandom(1) }).run(copy(chipA));
    while (!waiting) await Bun.sleep(10);
    await clock.advance(settings().capture.timeLimitMs);
    expect(await run).toEqual({ outcome: "timed-out", guidance: null, challenge: { state: "running", step: 0, action: "blink" }, frames: 0 });
  }, ENGINE_TEST_MS);

  test("a cancelled capture ends as cancelled", async () => {
    const controller = new AbortController();
    controller.abort(new Error("applicant left"));
    const { outcome } = await capture(chipA, sequence("still"), settings(), controller.signal);
    expect(outcome).toEqual({ outcome: "cancelled", frames: 0 });
  }, ENGINE_TEST_MS);
});

describe("FaceCapture with an engine that never answers", () => {
  const TIME_LIMIT_MS = 5_000;
  const image = { width: 4, height: 4, data: new Uint8Array(4 * 4 * 3) };

  /** Never settles on its own: rejects with the signal's reason when the call's signal aborts, as any engine must. */
  function unanswered(signal: AbortSignal | undefined): Promise<never> {
    return new Promise((_, reject) => signal?.addEventListener("abort", () => reject(signal.reason), { once: true }));
  }

  /** A stand-in engine whose chip embedding answers only when `chipAnswers`, and whose frame analyses never answer. */
  function silentEngine(chipAnswers: boolean): FaceEngine {
    const model = { model: "silent", dims: 2 };
    return {
      name: "silent-face",
      model,
      threshold: { value: 0.5, model: model.model },
      start: async () => undefined,
      stop: async () => undefined,
      analyze: (_frame, options) => unanswered(options?.signal),
      embedChip: (_photo, options) =>
        chipAnswers
          ? Promise.resolve({ ok: true, embedding: new Float32Array([1, 0]), box: { x: 0, y: 0, width: 4, height: 4 }, preparation: "as-is" })
          : unanswered(options?.signal),
    };
  }

  async function runUntilLimit(engine: FaceEngine) {
    const clock = new FakeClock();
    const frames: LiveFrameSource = { next: async () => ({ image: copy(image), atMs: clock.now() }) };
    let ended = false;
    const run = new FaceCapture({ engine, frames, settings: settings({ timeLimitMs: TIME_LIMIT_MS }), clock, random: seededRandom(1) })
      .run(copy(image))
      .finally(() => (ended = true));
    await clock.advance(TIME_LIMIT_MS - 1);
    expect(ended).toBe(false);
    await clock.advance(1);
    expect(ended).toBe(true);
    return run;
  }

  test("a chip embedding that never comes ends the capture as timed-out at the time limit", async () => {
    expect(await runUntilLimit(silentEngine(false))).toEqual({ outcome: "timed-out", guidance: null, challenge: undefined, frames: 0 });
  });

  test("a frame analysis that never comes ends the capture as timed-out at the time limit", async () => {
    expect(await runUntilLimit(silentEngine(true))).toEqual({ outcome: "timed-out", guidance: null, challenge: { state: "running", step: 0, action: "blink" }, frames: 0 });
  });
});
