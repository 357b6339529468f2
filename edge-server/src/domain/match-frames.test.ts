import { describe, expect, test } from "bun:test";
import { frameQuality, MatchFrames } from "./match-frames.ts";
import type { GateFace } from "./quality-gate.ts";
import { TEST_QUALITY_LIMITS } from "./testing/quality-limits.ts";

const LIMITS = TEST_QUALITY_LIMITS;

/** A frontal, centred, sharp face with wide-open eyes, changed by `changes`. */
function face(changes: { pose?: Partial<GateFace["pose"]>; quality?: Partial<GateFace["quality"]> } = {}): GateFace {
  return {
    pose: { yawDeg: 0, pitchDeg: 0, rollDeg: 0, ...changes.pose },
    quality: { faceSizePx: 240, centreOffset: { x: 0, y: 0 }, brightness: 170, sharpness: 4000, eyeOpenness: { left: 0.3, right: 0.3 }, ...changes.quality },
  };
}

describe("frameQuality", () => {
  test("a frontal, centred, sharp face with open eyes scores near 1", () => {
    // Sharpness part 1 − 40/4000 = 0.99; the others are 1.
    expect(frameQuality(face(), LIMITS)).toBeCloseTo(3.99 / 4, 9);
  });

  test("each part falls towards its gate limit", () => {
    const best = frameQuality(face(), LIMITS);
    expect(frameQuality(face({ pose: { yawDeg: -10 } }), LIMITS)).toBeCloseTo(best - 0.5 / 4, 9);
    expect(frameQuality(face({ pose: { pitchDeg: 15 } }), LIMITS)).toBeCloseTo(best - 1 / 4, 9);
    expect(frameQuality(face({ quality: { ...face().quality, centreOffset: { x: 0, y: -0.1 } } }), LIMITS)).toBeCloseTo(best - 0.5 / 4, 9);
    expect(frameQuality(face({ quality: { ...face().quality, sharpness: 80 } }), LIMITS)).toBeCloseTo(best - 0.49 / 4, 9);
    expect(frameQuality(face({ quality: { ...face().quality, eyeOpenness: { left: 0.15, right: 0.15 } } }), LIMITS)).toBeCloseTo(best - 0.5 / 4, 9);
  });

  test("stays within [0, 1] for values beyond the limits", () => {
    expect(frameQuality(face({ pose: { yawDeg: 90, pitchDeg: 90, rollDeg: 90 }, quality: { ...face().quality, centreOffset: { x: 1, y: 1 }, sharpness: 0, eyeOpenness: { left: 0, right: 0 } } }), LIMITS)).toBe(0);
    expect(frameQuality(face({ quality: { ...face().quality, sharpness: 1e12, eyeOpenness: { left: 0.9, right: 0.9 } } }), LIMITS)).toBeLessThanOrEqual(1);
  });
});

describe("MatchFrames", () => {
  test("keeps the K best frames by quality, best first, and returns what it does not keep", () => {
    const frames = new MatchFrames<string>(2);
    expect(frames.offer("a", 0.5)).toBeUndefined();
    expect(frames.full).toBe(false);
    expect(frames.offer("b", 0.7)).toBeUndefined();
    expect(frames.full).toBe(true);
    expect(frames.frames).toEqual(["b", "a"]);
    expect(frames.offer("c", 0.4)).toBe("c");
    expect(frames.offer("d", 0.6)).toBe("a");
    expect(frames.frames).toEqual(["b", "d"]);
  });

  test("however many frames are offered, only K are held", () => {
    const frames = new MatchFrames<number>(3);
    for (let i = 0; i < 40; i++) frames.offer(i, (i * 7) % 11);
    expect(frames.frames.length).toBe(3);
    expect(frames.frames).toEqual([3, 14, 25]);
  });

  test("of equal quality, the earlier frame stays", () => {
    const frames = new MatchFrames<string>(1);
    frames.offer("first", 0.5);
    expect(frames.offer("later", 0.5)).toBe("later");
    expect(frames.frames).toEqual(["first"]);
  });

  test("refuses a K that is not a whole number of at least 1", () => {
    expect(() => new MatchFrames(0)).toThrow(RangeError);
    expect(() => new MatchFrames(1.5)).toThrow('"1.5"');
  });
});
