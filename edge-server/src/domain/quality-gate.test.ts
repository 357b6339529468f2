import { describe, expect, test } from "bun:test";
import { assessQuality, countBystanders, GUIDANCE_CODES, type GateFace, type GateFrame } from "./quality-gate.ts";
import { TEST_QUALITY_LIMITS } from "./testing/quality-limits.ts";

const LIMITS = TEST_QUALITY_LIMITS;

/** A good 640×480 frame: a centred, frontal, well-lit, sharp 240 px face with open eyes. */
function face(changes: { pose?: Partial<GateFace["pose"]>; quality?: Partial<GateFace["quality"]> } = {}): GateFace {
  return {
    pose: { yawDeg: 2, pitchDeg: 3, rollDeg: 0.5, ...changes.pose },
    quality: { faceSizePx: 240, centreOffset: { x: 0.01, y: 0.02 }, brightness: 170, sharpness: 700, eyeOpenness: { left: 0.45, right: 0.46 }, ...changes.quality },
  };
}

function frame(main: GateFace | undefined, others: number[] = []): GateFrame {
  return { width: 640, height: 480, main, others: others.map((faceSizePx) => ({ quality: { faceSizePx } })) };
}

describe("assessQuality", () => {
  test("a good frame is ok with no codes", () => {
    expect(assessQuality(frame(face()), LIMITS)).toEqual({ ok: true, codes: [] });
  });

  test("no face is reported alone", () => {
    expect(assessQuality(frame(undefined, [200]), LIMITS)).toEqual({ ok: false, codes: ["no-face"] });
  });

  const cases: [string, GateFrame, string][] = [
    ["a second face of comparable size", frame(face(), [150]), "multiple-faces"],
    ["a face below the minimum size", frame(face({ quality: { faceSizePx: 105 } })), "too-far"],
    ["a face larger than 0.8 of the shorter side", frame(face({ quality: { faceSizePx: 443 } })), "too-close"],
    ["a face at the side", frame(face({ quality: { centreOffset: { x: -0.3, y: 0 } } })), "off-center"],
    ["a face near the bottom", frame(face({ quality: { centreOffset: { x: 0, y: 0.25 } } })), "off-center"],
    ["a turned head", frame(face({ pose: { yawDeg: -25 } })), "face-the-camera"],
    ["a nodding head", frame(face({ pose: { pitchDeg: 16 } })), "face-the-camera"],
    ["a tilted head", frame(face({ pose: { rollDeg: 29.8 } })), "face-the-camera"],
    ["a dark face", frame(face({ quality: { brightness: 43 } })), "too-dark"],
    ["an overexposed face", frame(face({ quality: { brightness: 249 } })), "too-bright"],
    ["a blurred face", frame(face({ quality: { sharpness: 25 } })), "blurry"],
    ["shut eyes", frame(face({ quality: { eyeOpenness: { left: 0.15, right: 0.13 } } })), "eyes-closed"],
  ];
  for (const [name, input, code] of cases) {
    test(`${name} gives ${code} alone`, () => {
      expect(assessQuality(input, LIMITS)).toEqual({ ok: false, codes: [code as never] });
    });
  }

  test("limits are inclusive: values exactly at a limit pass", () => {
    const edge = face({
      pose: { yawDeg: 20, pitchDeg: -15, rollDeg: 15 },
      quality: { faceSizePx: 150, centreOffset: { x: 0.2, y: -0.2 }, brightness: 70, sharpness: 40, eyeOpenness: { left: 0.25, right: 0.25 } },
    });
    expect(assessQuality(frame(edge), LIMITS).ok).toBe(true);
    expect(assessQuality(frame(face({ quality: { faceSizePx: 384 } })), LIMITS).ok).toBe(true);
    expect(assessQuality(frame(face({ quality: { brightness: 220 } })), LIMITS).ok).toBe(true);
  });

  test("several failures come in guidance order, the most useful first", () => {
    const bad = face({ pose: { rollDeg: 40 }, quality: { faceSizePx: 90, brightness: 30, sharpness: 5, centreOffset: { x: 0.4, y: 0 }, eyeOpenness: { left: 0.1, right: 0.1 } } });
    expect(assessQuality(frame(bad, [80]), LIMITS).codes).toEqual(["multiple-faces", "too-far", "off-center", "face-the-camera", "too-dark", "blurry", "eyes-closed"]);
    const codes = assessQuality(frame(bad, [80]), LIMITS).codes;
    expect([...codes].sort((a, b) => GUIDANCE_CODES.indexOf(a) - GUIDANCE_CODES.indexOf(b))).toEqual([...codes]);
  });

  test("one closed eye (a wink, or a badly tracked eye) does not count as eyes closed", () => {
    expect(assessQuality(frame(face({ quality: { eyeOpenness: { left: 0.1, right: 0.45 } } })), LIMITS).ok).toBe(true);
  });

  test("too-close is relative to the frame's shorter side", () => {
    const big = face({ quality: { faceSizePx: 500 } });
    expect(assessQuality(frame(big), LIMITS).codes).toEqual(["too-close"]);
    expect(assessQuality({ ...frame(big), width: 1280, height: 720 }, LIMITS).ok).toBe(true);
  });
});

describe("countBystanders", () => {
  test("counts only faces at least the configured fraction of the applicant's size", () => {
    expect(countBystanders(frame(face(), [95, 96, 240, 40]), 0.4)).toBe(2);
    expect(countBystanders(frame(face(), []), 0.4)).toBe(0);
    expect(countBystanders(frame(undefined, [300]), 0.4)).toBe(0);
    expect(countBystanders(frame(face(), [10]), 0)).toBe(1);
  });

  test("a small face far behind the applicant does not block them", () => {
    expect(assessQuality(frame(face(), [60]), LIMITS).ok).toBe(true);
  });
});
