/**
 * The sequence generator, and the quality gate and liveness challenge on
 * real frames through the real engine (one worker): CC BY fixture photos
 * transformed so that each guidance code fires, and generated blink, turn,
 * still and face-swap sequences.
 */
import { createLogger } from "@kiosk/contracts";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { seededRandom } from "@kiosk/contracts";
import { assessQuality, type GuidanceCode } from "../../domain/quality-gate.ts";
import { LivenessChallenge, noseOffset, type ChallengeAction, type ChallengeStatus } from "../../domain/liveness-challenge.ts";
import { assessPassiveLiveness } from "../../domain/liveness-decision.ts";
import { defaultFaceConfig } from "../../face-config.ts";
import type { FrameAnalysis, MainFace, RgbImage } from "../../ports.ts";
import { createFaceEngine } from "./create-face-engine.ts";
import { FACE_FIXTURES } from "./face-fixtures.ts";
import { jitter, makeFaceSequence, paintEyesShut, turnHead, type SequenceKind } from "./face-sequence.ts";
import { decodeImage, resizeCover } from "./image-decoder.ts";
import { gaussianBlur } from "./rgb-image.ts";
import type { WorkerFaceEngine } from "./worker-face-engine.ts";

const log = createLogger({ ns: "test", level: "error", sink: () => undefined });
const config = defaultFaceConfig();
const FRAME_MS = 200;
/** Real-engine tests analyse up to 20 frames at about 0.25 s each on one worker. */
const ENGINE_TEST_MS = 30_000;

function copy(image: RgbImage): RgbImage {
  return { width: image.width, height: image.height, data: new Uint8Array(image.data) };
}

/** A 640×480 grey frame with `photo` scaled to `side` px square and centred at (`cx`, `cy`). */
async function stage(photos: { photo: RgbImage; side: number; cx?: number; cy?: number }[]): Promise<RgbImage> {
  const out = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3).fill(110) };
  for (const { photo, side, cx = 320, cy = 240 } of photos) {
    const scaled = await resizeCover(photo, side, side);
    const x0 = Math.round(cx - side / 2);
    const y0 = Math.round(cy - side / 2);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const X = x0 + x;
        const Y = y0 + y;
        if (X < 0 || Y < 0 || X >= 640 || Y >= 480) continue;
        out.data.set(scaled.data.subarray((y * side + x) * 3, (y * side + x) * 3 + 3), (Y * 640 + X) * 3);
      }
    }
  }
  return out;
}

function scale(image: RgbImage, gain: number, add = 0): RgbImage {
  return { ...image, data: image.data.map((v) => Math.min(255, Math.max(0, Math.round(v * gain + add)))) };
}

/** `image` rotated by `deg` about its centre (bilinear, grey outside): a head tilted towards a shoulder. */
function rotate(image: RgbImage, deg: number): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(data.length).fill(110);
  const cos = Math.cos((deg * Math.PI) / 180);
  const sin = Math.sin((deg * Math.PI) / 180);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dx = x - w / 2;
      const dy = y - h / 2;
      const sx = Math.round(cos * dx + sin * dy + w / 2);
      const sy = Math.round(-sin * dx + cos * dy + h / 2);
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      out.set(data.subarray((sy * w + sx) * 3, (sy * w + sx) * 3 + 3), (y * w + x) * 3);
    }
  }
  return { width: w, height: h, data: out };
}

describe("face sequences (pixels only)", () => {
  const photo: RgbImage = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).map((_, i) => (i * 7) % 251) };
  const box = { x: 16, y: 16, width: 32, height: 32 };
  const landmarks = Array.from({ length: 478 }, (_, i) => ({ x: 20 + (i % 24), y: 24 + ((i * 5) % 8) }));

  test("a still sequence is the same picture every frame, moved by at most 2 px, repeatably for a seed", () => {
    const a = makeFaceSequence(photo, { box, landmarks }, "still", { frames: 6, random: seededRandom(7) });
    const b = makeFaceSequence(photo, { box, landmarks }, "still", { frames: 6, random: seededRandom(7) });
    expect(a.length).toBe(6);
    expect(a.map((f) => [...f.data.subarray(0, 30)])).toEqual(b.map((f) => [...f.data.subarray(0, 30)]));
    for (const frame of a) expect([frame.width, frame.height]).toEqual([64, 64]);
  });

  test("a blink sequence starts and ends on the photo and has shut frames in the middle", () => {
    const frames = makeFaceSequence(photo, { box, landmarks }, "blink", { frames: 7 });
    const same = frames.map((f) => f === photo);
    expect(same[0]).toBe(true);
    expect(same[1]).toBe(true);
    expect(same[6]).toBe(true);
    expect(same.filter((s) => !s).length).toBe(2);
  });

  test("a turn sequence starts and ends frontal; turns left and right mirror each other", () => {
    const left = makeFaceSequence(photo, { box, landmarks }, "turn-left", { frames: 6 });
    const right = makeFaceSequence(photo, { box, landmarks }, "turn-right", { frames: 6 });
    expect(left[0]).toBe(photo);
    expect(left[5]).toBe(photo);
    expect(left[2]).not.toBe(photo);
    expect([...(left[2] as RgbImage).data]).not.toEqual([...(right[2] as RgbImage).data]);
  });

  test("refuses too few frames, a folding turn, a mesh without eyes and a turn without the face outline", () => {
    expect(() => makeFaceSequence(photo, { box, landmarks }, "still", { frames: 4 })).toThrow(RangeError);
    expect(() => turnHead(photo, { box, landmarks }, 0.35)).toThrow(RangeError);
    expect(() => turnHead(photo, { box, landmarks: landmarks.slice(0, 68) }, 0.2)).toThrow(RangeError);
    expect(() => paintEyesShut(photo, [])).toThrow(RangeError);
  });

  test("jitter shifts with replicated edges and scales values", () => {
    const out = jitter(photo, 1, 0, 0.5);
    expect(out.data[3]).toBe(Math.round((photo.data[0] as number) * 0.5));
    expect(out.data[0]).toBe(Math.round((photo.data[0] as number) * 0.5));
  });
});

describe("on real frames through the engine", () => {
  let engine: WorkerFaceEngine;
  let liveA: RgbImage;
  let liveB: RgbImage;
  let faceA: MainFace;
  let faceB: MainFace;

  async function analyze(frame: RgbImage, embed = false): Promise<FrameAnalysis> {
    return engine.analyze(copy(frame), { embed });
  }

  beforeAll(async () => {
    liveA = await decodeImage(new Uint8Array(await readFile(FACE_FIXTURES.liveA)));
    liveB = await decodeImage(new Uint8Array(await readFile(FACE_FIXTURES.liveB)));
    engine = createFaceEngine({ ...config, workers: 1 }, log);
    await engine.start();
    const [a, b] = [(await analyze(liveA)).main, (await analyze(liveB)).main];
    if (!a || !b) throw new Error("expected a face in both live fixtures");
    [faceA, faceB] = [a, b];
  });
  afterAll(async () => {
    await engine.stop();
  });

  describe("quality gate", () => {
    const limits = config.quality;

    async function codes(frame: RgbImage): Promise<readonly GuidanceCode[]> {
      return assessQuality(await analyze(frame), limits).codes;
    }

    test("a well-framed photo passes, and each transformation gives its own guidance first", async () => {
      const good = await stage([{ photo: liveA, side: 360 }]);
      expect(await codes(good)).toEqual([]);
      const cases: [GuidanceCode, RgbImage][] = [
        ["no-face", { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3).fill(110) }],
        ["multiple-faces", await stage([{ photo: liveA, side: 300, cx: 160 }, { photo: liveB, side: 300, cx: 480 }])],
        ["too-far", await stage([{ photo: liveA, side: 160 }])],
        ["too-close", await stage([{ photo: liveA, side: 720, cy: 250 }])],
        ["off-center", await stage([{ photo: liveA, side: 300, cx: 120 }])],
        ["face-the-camera", rotate(good, 30)],
        ["too-dark", scale(good, 0.25)],
        ["too-bright", scale(good, 1.9, 60)],
        ["blurry", gaussianBlur(good, 4)],
        ["eyes-closed", paintEyesShut(liveA, faceA.landmarks)],
      ];
      for (const [code, frame] of cases) expect({ code, got: (await codes(frame))[0] }).toEqual({ code, got: code });
    }, ENGINE_TEST_MS);

    test("a head turned by the generator reads as a turn, not as a different person's pose", async () => {
      // The gate's face-the-camera needs more than the warp gives (9–13° of engine yaw on London photos): a warped turn stays acceptable.
      expect(await codes(turnHead(liveA, faceA, 0.15))).toEqual([]);
    }, ENGINE_TEST_MS);
  });

  describe("liveness", () => {
    const active = config.liveness.active;
    const sequences = new Map<string, FrameAnalysis[]>();

    async function sequence(kind: SequenceKind, who: "A" | "B" = "A"): Promise<FrameAnalysis[]> {
      const key = `${who}:${kind}`;
      const cached = sequences.get(key);
      if (cached) return cached;
      const [photo, face] = who === "A" ? [liveA, faceA] : [liveB, faceB];
      const frames = makeFaceSequence(photo, face, kind, { frames: 6, random: seededRandom(11) });
      const out: FrameAnalysis[] = [];
      for (const frame of frames) out.push(await analyze(frame, true));
      sequences.set(key, out);
      return out;
    }

    /** Runs a challenge over `frames` at 5 fps, then lets the time limit pass. */
    function challenge(actions: ChallengeAction[], frames: readonly FrameAnalysis[]): ChallengeStatus {
      const run = new LivenessChallenge(actions, active);
      frames.forEach((frame, i) => run.observe(frame, 1_000 + i * FRAME_MS));
      return run.expire(1_000 + active.timeLimitMs + 1);
    }

    test("each single-action challenge passes only for the sequence that performs it", async () => {
      const kinds = ["blink", "turn-left", "turn-right"] as const;
      const outcome: Record<string, string> = {};
      for (const kind of kinds) {
        const frames = await sequence(kind);
        for (const action of kinds) {
          const status = challenge([action], frames);
          outcome[`${kind} → ${action}`] = status.state === "failed" ? status.reason : status.state;
        }
      }
      expect(outcome).toEqual({
        "blink → blink": "passed",
        "blink → turn-left": "timeout",
        "blink → turn-right": "timeout",
        "turn-left → blink": "wrong-action",
        "turn-left → turn-left": "passed",
        "turn-left → turn-right": "wrong-action",
        "turn-right → blink": "wrong-action",
        "turn-right → turn-left": "wrong-action",
        "turn-right → turn-right": "passed",
      });
    }, ENGINE_TEST_MS);

    test("a two-action challenge passes when the sequences are played one after the other in its order", async () => {
      const frames = [...(await sequence("turn-right")), ...(await sequence("blink"))];
      expect(challenge(["turn-right", "blink"], frames).state).toBe("passed");
      expect(challenge(["blink", "turn-right"], frames)).toMatchObject({ state: "failed", reason: "wrong-action" });
    }, ENGINE_TEST_MS);

    test("the generated turns move the engine's yaw the same way as the nose offset", async () => {
      for (const [kind, sign] of [["turn-left", 1], ["turn-right", -1]] as const) {
        const frames = await sequence(kind);
        const [first, peak] = [frames[0]?.main, frames[2]?.main];
        if (!first || !peak) throw new Error("expected faces");
        expect(sign * ((noseOffset(peak.landmarks) ?? 0) - (noseOffset(first.landmarks) ?? 0))).toBeGreaterThan(active.turnMinOffset);
        // The engine reports a turn to the applicant's own left as negative yaw.
        expect(-sign * (peak.pose.yawDeg - first.pose.yawDeg)).toBeGreaterThan(3);
      }
    }, ENGINE_TEST_MS);

    test("a still photo held up passes the passive check but never the active challenge", async () => {
      const still = await sequence("still");
      const passive = assessPassiveLiveness(
        still.flatMap((f) => (f.main ? [f.main.liveness] : [])),
        config.liveness.passive,
      );
      expect(passive.ok).toBe(true);
      for (const actions of [["blink"], ["turn-left"], ["turn-right"], ["blink", "turn-left"]] as ChallengeAction[][]) {
        expect(challenge(actions, still)).toMatchObject({ state: "failed", reason: "timeout" });
      }
    }, ENGINE_TEST_MS);

    test("a face swapped midway fails, though the second person's own blink would pass", async () => {
      const blinkB = await sequence("blink", "B");
      expect(challenge(["blink"], blinkB).state).toBe("passed");
      const stillA = await sequence("still", "A");
      expect(challenge(["blink"], [...stillA.slice(0, 2), ...blinkB])).toMatchObject({ state: "failed", reason: "face-swapped" });
    }, ENGINE_TEST_MS);
  });
});
