import { describe, expect, test } from "bun:test";
import { CHALLENGE_ACTIONS, LivenessChallenge, noseOffset, planChallenge, type ChallengeFrame, type ChallengeSettings } from "./liveness-challenge.ts";
import { seededRandom } from "@kiosk/contracts";

const SETTINGS: ChallengeSettings = {
  timeLimitMs: 10_000,
  blinkClosedRatio: 0.6,
  blinkOpenRatio: 0.85,
  turnMinOffset: 0.25,
  maxFaceLostFrames: 2,
  minEmbeddingSimilarity: 0.9,
  minEmbeddedFrames: 2,
  bystanderMinSizeRatio: 0.4,
};

/** A 478-point mesh whose nose sits `offset` half face widths right of the outline's middle. */
function mesh(offset: number): { x: number; y: number }[] {
  const points = Array.from({ length: 478 }, () => ({ x: 320, y: 240 }));
  points[234] = { x: 220, y: 240 };
  points[454] = { x: 420, y: 240 };
  points[1] = { x: 320 + offset * 100, y: 250 };
  return points;
}

const PERSON_A = new Float32Array([1, 0, 0, 0]);
const PERSON_A_AGAIN = new Float32Array([0.97, 0.243, 0, 0]);
const PERSON_B = new Float32Array([0.8, 0, 0.6, 0]);

interface Pose {
  readonly eyes?: number;
  readonly turn?: number;
  /** `null`: the frame was not embedded. */
  readonly embedding?: Float32Array | null;
  readonly others?: number[];
}

function seen({ eyes = 0.44, turn = 0, embedding = PERSON_A, others = [] }: Pose = {}): ChallengeFrame {
  return {
    main: { landmarks: mesh(turn), quality: { faceSizePx: 240, eyeOpenness: { left: eyes, right: eyes } }, ...(embedding ? { embedding } : {}) },
    others: others.map((faceSizePx) => ({ quality: { faceSizePx } })),
  };
}

const NO_FACE: ChallengeFrame = { main: undefined, others: [] };

/** Feeds `frames` 150 ms apart; returns the last status. */
function run(challenge: LivenessChallenge, frames: ChallengeFrame[], startMs = 1_000) {
  let status = challenge.status;
  frames.forEach((frame, i) => {
    status = challenge.observe(frame, startMs + i * 150);
  });
  return status;
}

const OPEN = seen();
const SHUT = seen({ eyes: 0.15 });
const LEFT = seen({ turn: 0.4 });
const RIGHT = seen({ turn: -0.4 });

describe("noseOffset", () => {
  test("is 0 frontal, positive towards the image's right, in half face widths", () => {
    expect(noseOffset(mesh(0))).toBe(0);
    expect(noseOffset(mesh(0.4))).toBeCloseTo(0.4, 9);
    expect(noseOffset(mesh(-0.3))).toBeCloseTo(-0.3, 9);
  });

  test("is undefined without the points or with a degenerate outline", () => {
    expect(noseOffset([])).toBeUndefined();
    expect(noseOffset(Array.from({ length: 478 }, () => ({ x: 5, y: 5 })))).toBeUndefined();
  });
});

describe("planChallenge", () => {
  test("draws the asked number of actions, never the same twice in a row, repeatably for a seed", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const plan = planChallenge(4, CHALLENGE_ACTIONS, seededRandom(seed));
      expect(plan.length).toBe(4);
      for (let i = 1; i < plan.length; i++) expect(plan[i]).not.toBe(plan[i - 1]);
      expect(planChallenge(4, CHALLENGE_ACTIONS, seededRandom(seed))).toEqual(plan);
    }
  });

  test("uses every allowed action over many draws, and only those", () => {
    const drawn = new Set(Array.from({ length: 40 }, (_, seed) => planChallenge(2, CHALLENGE_ACTIONS, seededRandom(seed))).flat());
    expect([...drawn].sort()).toEqual([...CHALLENGE_ACTIONS].sort());
    expect(new Set(planChallenge(3, ["turn-left", "turn-right"], seededRandom(3)))).not.toContain("blink");
  });

  test("repeats the only allowed action, and refuses a bad count or an empty list", () => {
    expect(planChallenge(3, ["blink"], () => 0.99)).toEqual(["blink", "blink", "blink"]);
    expect(() => planChallenge(0, CHALLENGE_ACTIONS, Math.random)).toThrow(RangeError);
    expect(() => planChallenge(1.5, CHALLENGE_ACTIONS, Math.random)).toThrow(RangeError);
    expect(() => planChallenge(2, [], Math.random)).toThrow(RangeError);
  });
});

describe("LivenessChallenge", () => {
  test("a blink passes a blink challenge: open, shut, open again", () => {
    const challenge = new LivenessChallenge(["blink"], SETTINGS);
    expect(challenge.status).toEqual({ state: "running", step: 0, action: "blink" });
    expect(run(challenge, [OPEN, OPEN, SHUT, OPEN])).toEqual({ state: "passed", frames: 4, embeddedFrames: 4 });
  });

  test("eyes that start shut must be seen open first", () => {
    const challenge = new LivenessChallenge(["blink"], SETTINGS);
    expect(run(challenge, [SHUT, OPEN]).state).toBe("running");
    expect(run(challenge, [SHUT, OPEN]).state).toBe("passed");
  });

  test("a blink is judged against the applicant's own open eyes, not a fixed value", () => {
    const narrow = (eyes: number) => seen({ eyes });
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [narrow(0.26), narrow(0.27), narrow(0.14), narrow(0.25)]).state).toBe("passed");
    // A held photo's open eyes flicker by up to 20 %: no blink.
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [narrow(0.45), narrow(0.37), narrow(0.44), narrow(0.36)]).state).toBe("running");
  });

  test("turns: each side in the applicant's own terms, back to frontal between them", () => {
    const challenge = new LivenessChallenge(["turn-left", "turn-right"], SETTINGS);
    expect(run(challenge, [OPEN, seen({ turn: 0.2 }), LEFT]).state).toBe("running");
    expect(challenge.status).toEqual({ state: "running", step: 1, action: "turn-right" });
    // Still turned left, then frontal, then right.
    expect(run(challenge, [LEFT, OPEN, RIGHT]).state).toBe("passed");
  });

  test("turns are measured from the first frame's pose", () => {
    const challenge = new LivenessChallenge(["turn-right"], SETTINGS);
    // The applicant stands slightly turned to their left (0.2); turning right means the offset falls by 0.25.
    expect(run(challenge, [seen({ turn: 0.2 }), seen({ turn: 0.0 })]).state).toBe("running");
    expect(run(challenge, [seen({ turn: -0.06 })]).state).toBe("passed");
  });

  test("a whole sequence of three actions passes in order", () => {
    const challenge = new LivenessChallenge(["turn-right", "blink", "turn-left"], SETTINGS);
    expect(run(challenge, [OPEN, RIGHT, OPEN, SHUT, OPEN, LEFT])).toMatchObject({ state: "passed", frames: 6 });
  });

  test("the other turn fails with wrong-action; a blink during a turn step does not", () => {
    expect(run(new LivenessChallenge(["turn-left"], SETTINGS), [OPEN, RIGHT])).toEqual({ state: "failed", reason: "wrong-action", step: 0, action: "turn-left" });
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [OPEN, LEFT])).toMatchObject({ state: "failed", reason: "wrong-action" });
    expect(run(new LivenessChallenge(["turn-left"], SETTINGS), [OPEN, SHUT, OPEN, LEFT]).state).toBe("passed");
  });

  test("coming back from a finished turn is not a wrong action", () => {
    const challenge = new LivenessChallenge(["turn-left", "blink"], SETTINGS);
    // After the left turn the head swings a little past frontal while the next step (blink) starts.
    expect(run(challenge, [OPEN, LEFT, seen({ turn: 0.1 }), OPEN, SHUT, OPEN]).state).toBe("passed");
  });

  test("a held photo (no action) times out", () => {
    const challenge = new LivenessChallenge(["blink", "turn-left"], SETTINGS);
    const frames = Array.from({ length: 80 }, () => OPEN);
    expect(run(challenge, frames)).toEqual({ state: "failed", reason: "timeout", step: 0, action: "blink" });
  });

  test("expire() times the challenge out without a frame, counted from its first frame", () => {
    const challenge = new LivenessChallenge(["blink"], SETTINGS);
    expect(challenge.expire(1_000_000).state).toBe("running");
    challenge.observe(OPEN, 5_000);
    expect(challenge.expire(15_000).state).toBe("running");
    expect(challenge.expire(15_001)).toMatchObject({ state: "failed", reason: "timeout" });
  });

  test("a different face midway fails with face-swapped", () => {
    const challenge = new LivenessChallenge(["blink", "turn-left"], SETTINGS);
    expect(run(challenge, [OPEN, SHUT, OPEN, seen({ embedding: PERSON_B }), LEFT])).toEqual({ state: "failed", reason: "face-swapped", step: 1, action: "turn-left" });
  });

  test("the same face with a slightly different embedding stays consistent; unembedded frames are not compared", () => {
    const challenge = new LivenessChallenge(["blink"], SETTINGS);
    expect(run(challenge, [OPEN, seen({ eyes: 0.15, embedding: PERSON_A_AGAIN }), seen({ embedding: null })])).toMatchObject({ state: "passed", embeddedFrames: 2 });
  });

  test("after the last action it waits for enough embedded frames, then passes", () => {
    const challenge = new LivenessChallenge(["blink"], { ...SETTINGS, minEmbeddedFrames: 3 });
    const unembedded = (eyes: number) => seen({ eyes, embedding: null });
    expect(run(challenge, [OPEN, unembedded(0.15), unembedded(0.44)])).toEqual({ state: "running", step: 1, action: undefined });
    expect(run(challenge, [OPEN]).state).toBe("running");
    expect(run(challenge, [OPEN])).toEqual({ state: "passed", frames: 5, embeddedFrames: 3 });
  });

  test("the face may be lost for a few frames, not more", () => {
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [OPEN, NO_FACE, NO_FACE, SHUT, OPEN]).state).toBe("passed");
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [OPEN, NO_FACE, NO_FACE, NO_FACE])).toMatchObject({ state: "failed", reason: "no-face" });
  });

  test("a second person of comparable size fails it; a small face far behind does not", () => {
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [OPEN, seen({ others: [200] })])).toMatchObject({ state: "failed", reason: "multiple-faces" });
    expect(run(new LivenessChallenge(["blink"], SETTINGS), [OPEN, seen({ others: [50] }), SHUT, OPEN]).state).toBe("passed");
  });

  test("once finished it stays finished", () => {
    const challenge = new LivenessChallenge(["blink"], SETTINGS);
    run(challenge, [OPEN, RIGHT]);
    const failed = challenge.status;
    expect(run(challenge, [OPEN, SHUT, OPEN])).toEqual(failed);
  });

  test("refuses an empty action list", () => {
    expect(() => new LivenessChallenge([], SETTINGS)).toThrow(RangeError);
  });
});
