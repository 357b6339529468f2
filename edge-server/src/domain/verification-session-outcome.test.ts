import { describe, expect, test } from "bun:test";
import { CARD_PROBLEM_TYPES } from "@kiosk/device";
import { ATTEMPT_FAILURES, CARD_REJECTIONS } from "@kiosk/contracts";
import type { CaptureOutcome, CaptureUpdate } from "../services/face-capture.ts";
import { GUIDANCE_CODES } from "./quality-gate.ts";
import { attemptFailure, faceEvidence, failedFaceOutcome, resultKind } from "./verification-session-outcome.ts";
import type { FaceAttemptResult, FaceUpdate } from "./verification-session-types.ts";

const decision = { match: false, similarity: 0.2, threshold: 0.4, margin: -0.2 };

describe("attemptFailure", () => {
  test.each([
    [{ outcome: "not-matched", decision, frames: 9 }, "not-same-person"],
    [{ outcome: "not-live", liveness: { live: false, reason: "not-real" }, frames: 9 }, "liveness-not-passed"],
    [{ outcome: "not-live", liveness: { live: false, reason: "wrong-action" }, frames: 9 }, "liveness-not-passed"],
    [{ outcome: "not-live", liveness: { live: false, reason: "face-swapped" }, frames: 9 }, "liveness-not-passed"],
    [{ outcome: "not-live", liveness: { live: false, reason: "challenge-unfinished" }, frames: 9 }, "liveness-not-passed"],
    [{ outcome: "not-live", liveness: { live: false, reason: "multiple-faces" }, frames: 9 }, "multiple-faces"],
    [{ outcome: "not-live", liveness: { live: false, reason: "no-face" }, frames: 9 }, "no-face"],
    ...GUIDANCE_CODES.map((guidance) => [{ outcome: "timed-out", guidance, challenge: undefined, frames: 9 }, guidance] as const),
    [{ outcome: "timed-out", guidance: null, challenge: { state: "running", step: 0, action: "blink" }, frames: 9 }, "liveness-not-passed"],
    [{ outcome: "timed-out", guidance: null, challenge: undefined, frames: 0 }, "timed-out"],
    [{ outcome: "matched", decision: { ...decision, match: true }, frames: 9 }, null],
    [{ outcome: "cancelled", frames: 3 }, null],
    [{ outcome: "chip-unusable", frames: 0 }, null],
  ] as [CaptureOutcome, string | null][])("%j → %p", (outcome, reason) => {
    expect(attemptFailure(outcome)).toBe(reason as ReturnType<typeof attemptFailure>);
  });

  test("can report every attempt failure", () => {
    const outcomes: FaceAttemptResult[] = [
      { outcome: "not-matched", decision },
      { outcome: "not-live", liveness: { live: false, reason: "not-live" } },
      ...GUIDANCE_CODES.map((guidance) => ({ outcome: "timed-out", guidance, challenge: undefined }) as const),
      { outcome: "timed-out", guidance: null, challenge: undefined },
    ];
    expect(new Set(outcomes.map(attemptFailure))).toEqual(new Set(ATTEMPT_FAILURES));
  });
});

describe("faceEvidence", () => {
  test("keeps the scores of a decision, only the liveness verdict otherwise", () => {
    expect(faceEvidence({ outcome: "not-matched", decision }, "m")).toEqual({ model: "m", livenessPassed: true, score: { similarity: 0.2, threshold: 0.4 } });
    expect(faceEvidence({ outcome: "not-live", liveness: { live: false, reason: "not-live" } }, "m")).toEqual({ model: "m", livenessPassed: false });
    expect(faceEvidence({ outcome: "timed-out", guidance: "too-far", challenge: undefined }, "m")).toBeUndefined();
  });
});

describe("failedFaceOutcome", () => {
  test("is liveness-failed when any attempt failed liveness, else face-mismatch", () => {
    expect(failedFaceOutcome([{ attempt: 1, reason: "too-dark" }, { attempt: 2, reason: "not-same-person" }])).toBe("face-mismatch");
    expect(failedFaceOutcome([{ attempt: 1, reason: "not-same-person" }, { attempt: 2, reason: "liveness-not-passed" }])).toBe("liveness-failed");
  });
});

describe("resultKind", () => {
  test("is a referral whenever there is a code", () => {
    const ending = { cardRejections: [], attemptFailures: [] };
    expect(resultKind({ ...ending, outcome: "verified", referralCode: null })).toBe("verified");
    expect(resultKind({ ...ending, outcome: "no-pending-matter", referralCode: null })).toBe("no-matter");
    expect(resultKind({ ...ending, outcome: "no-pending-matter", referralCode: "1234565" })).toBe("referral");
    expect(resultKind({ ...ending, outcome: "declined", referralCode: "1234565" })).toBe("referral");
  });
});

describe("the session's vocabulary", () => {
  test("names every problem checkCard reports", () => {
    for (const problem of Object.keys(CARD_PROBLEM_TYPES)) expect(CARD_REJECTIONS as readonly string[]).toContain(problem);
  });

  test("takes the face capture's updates and outcomes as they are", () => {
    // Compile-time: the shell passes the capture service's values straight in.
    const updates = (u: CaptureUpdate): FaceUpdate => u;
    const outcomes = (o: CaptureOutcome): FaceAttemptResult => o;
    const update: CaptureUpdate = { type: "challenge", action: "blink", step: 0, of: 1 };
    const outcome: CaptureOutcome = { outcome: "chip-unusable", frames: 0 };
    expect(updates(update)).toBe(update);
    expect(outcomes(outcome)).toBe(outcome);
  });
});
