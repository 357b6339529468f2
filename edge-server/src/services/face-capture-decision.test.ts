/**
 * Which frames the capture's decision rests on, with a scripted engine whose
 * embeddings are plain 2-d unit vectors: however many good frames the
 * challenge sees, exactly `face.matchFrames` of them, the best by quality,
 * meet the chip photo. (`face-capture.test.ts` runs the real engine.)
 */
import { FACE_ATTEMPT_OUTCOMES, seededRandom } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import { describe, expect, test } from "bun:test";
import { MATCH_RULE, ruleSimilarity } from "../domain/face-match.ts";
import { defaultFaceConfig } from "../face-config.ts";
import type { FaceEngine, FrameAnalysis, LiveFrame, LiveFrameSource, RgbImage } from "../ports.ts";
import { FaceCapture, type CaptureOutcome, type FaceCaptureSettings, type FrameAnalysisInfo } from "./face-capture.ts";

const FRAME_MS = 200;
const MODEL = { model: "scripted-2d", dims: 2 };

/** A unit vector `deg` degrees from the chip's. */
function at(deg: number): Float32Array {
  const rad = (deg * Math.PI) / 180;
  return new Float32Array([Math.cos(rad), Math.sin(rad)]);
}

/** One scripted frame: where its embedding points, how far the head is turned, and whether the eyes are shut. */
interface Shot {
  readonly deg: number;
  readonly yawDeg: number;
  readonly shut?: boolean;
}

/** Serves one frame per shot, `FRAME_MS` apart; the image carries the shot's index. */
class ShotFrames implements LiveFrameSource {
  readonly #count: number;
  readonly #startMs: number;
  #served = 0;

  constructor(count: number, startMs: number) {
    this.#count = count;
    this.#startMs = startMs;
  }

  async next(signal: AbortSignal): Promise<LiveFrame> {
    signal.throwIfAborted();
    const index = Math.min(this.#served, this.#count - 1);
    return { image: { width: 1, height: 1, data: new Uint8Array([index, 0, 0]) }, atMs: this.#startMs + this.#served++ * FRAME_MS };
  }
}

/** Analyses frames by the script: the chip's embedding points at 0°, each frame's at its shot's angle. */
function scriptedEngine(shots: readonly Shot[], threshold: number): FaceEngine {
  return {
    name: "scripted-face-engine",
    model: MODEL,
    threshold: { value: threshold, model: MODEL.model },
    start: async () => undefined,
    stop: async () => undefined,
    embedChip: async () => ({ ok: true, embedding: at(0), box: { x: 0, y: 0, width: 102, height: 126 }, preparation: "as-is" }),
    analyze: async (frame: RgbImage, options?: { readonly embed?: boolean }): Promise<FrameAnalysis> => {
      const shot = shots[frame.data[0] as number] as Shot;
      const eyes = shot.shut ? 0.05 : 0.3;
      return {
        width: 640,
        height: 480,
        main: {
          box: { x: 200, y: 120, width: 240, height: 240 },
          score: 0.99,
          pose: { yawDeg: shot.yawDeg, pitchDeg: 0, rollDeg: 0 },
          quality: { faceSizePx: 240, centreOffset: { x: 0, y: 0 }, brightness: 150, sharpness: 500, eyeOpenness: { left: eyes, right: eyes } },
          liveness: { real: 0.9, live: 0.9 },
          landmarks: [],
          ...(options?.embed ? { embedding: at(shot.deg) } : {}),
        },
        others: [],
      };
    },
  };
}

function settings(matchFrames: number): FaceCaptureSettings {
  const config = defaultFaceConfig();
  return {
    ...config,
    matchFrames,
    // Every frame is embedded, so every good frame is a candidate.
    capture: { ...config.capture, embedIntervalMs: 0 },
    liveness: { ...config.liveness, mode: "active", active: { ...config.liveness.active, actions: 1, allowedActions: ["blink"] } },
  };
}

/** The applicant stays frontal with their face at 35° from the chip's (an impostor); one frame at `lateYawDeg` points at 15° (it would match); then a blink ends the challenge. */
function impostorWithOneLuckyFrame(lateYawDeg: number): Shot[] {
  const still: Shot = { deg: 35, yawDeg: 0 };
  return [...Array.from({ length: 12 }, () => still), { deg: 15, yawDeg: lateYawDeg }, still, still, { deg: 35, yawDeg: 0, shut: true }, still, still];
}

async function capture(shots: readonly Shot[], matchFrames: number) {
  // cos 15° = 0.966 passes; cos 35° = 0.819 does not.
  const engine = scriptedEngine(shots, 0.95);
  const clock = new FakeClock();
  const run = new FaceCapture({ engine, frames: new ShotFrames(shots.length, clock.now()), settings: settings(matchFrames), clock, random: seededRandom(1) });
  return run.run({ width: 102, height: 126, data: new Uint8Array(102 * 126 * 3) });
}

describe("FaceCapture decides on exactly K quality-ranked frames", () => {
  test("a late frame that would match is not counted when K better frames were seen", async () => {
    const outcome = await capture(impostorWithOneLuckyFrame(8), 2);
    expect(outcome).toMatchObject({ outcome: "not-matched" });
    if (outcome.outcome !== "not-matched") throw new Error("unreachable");
    // Only the two frontal frames took part: their similarity, not the lucky frame's.
    expect(outcome.decision.similarity).toBeCloseTo(ruleSimilarity(MODEL, MATCH_RULE, at(0), [at(35), at(35)]), 6);
    expect(outcome.frames).toBe(17);
  });

  test("the same frame takes part when its quality ranks it among the K best", async () => {
    const outcome = await capture(impostorWithOneLuckyFrame(0).map((shot) => (shot.deg === 35 ? { ...shot, yawDeg: 8 } : shot)), 1);
    expect(outcome).toMatchObject({ outcome: "matched" });
    if (outcome.outcome !== "matched") throw new Error("unreachable");
    expect(outcome.decision.similarity).toBeCloseTo(Math.cos((15 * Math.PI) / 180), 6);
  });
});

describe("FaceCapture's per-frame analysis hook", () => {
  test("reports each analysed frame's time, face box and guidance, and leaves the decision as it was", async () => {
    const shots = impostorWithOneLuckyFrame(8);
    const clock = new FakeClock();
    const run = new FaceCapture({ engine: scriptedEngine(shots, 0.95), frames: new ShotFrames(shots.length, clock.now()), settings: settings(2), clock, random: seededRandom(1) });
    const seen: FrameAnalysisInfo[] = [];
    const outcome = await run.run({ width: 102, height: 126, data: new Uint8Array(102 * 126 * 3) }, { onAnalysis: (info) => seen.push(info) });
    expect(outcome).toEqual(await capture(shots, 2));
    // One report per frame the capture took, in order (it ended on the 17th of 18).
    expect(seen.map((info) => info.atMs)).toEqual(shots.slice(0, 17).map((_, i) => clock.now() + i * FRAME_MS));
    expect(seen[0]).toEqual({ atMs: clock.now(), box: { x: 200, y: 120, width: 240, height: 240 }, guidance: null });
    // The blink frame fails the gate with closed eyes: the preview shows it.
    expect(seen[15]?.guidance).toBe("eyes-closed");
  });
});

describe("capture outcomes in results", () => {
  test("every capture outcome is a face attempt outcome of the result contract", () => {
    // Keyed by the union, so a new outcome fails the type check until listed here.
    const outcomes: Record<CaptureOutcome["outcome"], true> = { matched: true, "not-matched": true, "not-live": true, "chip-unusable": true, "timed-out": true, cancelled: true };
    const known: readonly string[] = FACE_ATTEMPT_OUTCOMES;
    expect(Object.keys(outcomes).filter((outcome) => !known.includes(outcome))).toEqual([]);
  });
});
