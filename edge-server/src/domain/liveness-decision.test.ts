import { describe, expect, test } from "bun:test";
import { LIVENESS_FAILURES } from "@kiosk/contracts";
import { CHALLENGE_FAILURES } from "./liveness-challenge.ts";
import { assessPassiveLiveness, decideLiveness, type LivenessDecision, type PassiveVerdict } from "./liveness-decision.ts";

const LIMITS = { minReal: 0.6, minLive: 0.6 };

describe("assessPassiveLiveness", () => {
  test("passes on the medians, so one odd frame neither passes nor fails", () => {
    expect(assessPassiveLiveness([{ real: 0.85, live: 0.91 }, { real: 0.1, live: 0.2 }, { real: 0.74, live: 0.85 }], LIMITS)).toEqual({ ok: true, real: 0.74, live: 0.85 });
    expect(assessPassiveLiveness([{ real: 0.3, live: 0.9 }, { real: 0.95, live: 0.9 }, { real: 0.4, live: 0.9 }], LIMITS)).toMatchObject({ ok: false, reasons: ["not-real"] });
  });

  test("reports each failed score, at the limit passing", () => {
    expect(assessPassiveLiveness([{ real: 0.5, live: 0.5 }], LIMITS)).toEqual({ ok: false, reasons: ["not-real", "not-live"], real: 0.5, live: 0.5 });
    expect(assessPassiveLiveness([{ real: 0.7, live: 0.5 }, { real: 0.7, live: 0.6 }], LIMITS)).toMatchObject({ ok: false, reasons: ["not-live"], live: 0.55 });
    expect(assessPassiveLiveness([{ real: 0.6, live: 0.6 }], LIMITS).ok).toBe(true);
  });

  test("no frames is a failure, not a pass", () => {
    expect(assessPassiveLiveness([], LIMITS)).toMatchObject({ ok: false, reasons: ["no-face"] });
  });
});

describe("decideLiveness", () => {
  const passiveOk: PassiveVerdict = { ok: true, real: 0.8, live: 0.9 };
  const passiveBad: PassiveVerdict = { ok: false, reasons: ["not-live"], real: 0.8, live: 0.3 };
  const passed = { state: "passed", frames: 8, embeddedFrames: 8 } as const;
  const failed = { state: "failed", reason: "timeout", step: 0, action: "blink" } as const;
  const running = { state: "running", step: 1, action: "turn-left" } as const;

  test("passive mode reads only the passive verdict", () => {
    expect(decideLiveness("passive", { passive: passiveOk, challenge: failed })).toEqual({ live: true });
    expect(decideLiveness("passive", { passive: passiveBad })).toEqual({ live: false, reason: "not-live" });
    expect(decideLiveness("passive", {})).toEqual({ live: false, reason: "passive-missing" });
  });

  test("active mode reads only the challenge, which must have passed", () => {
    expect(decideLiveness("active", { passive: passiveBad, challenge: passed })).toEqual({ live: true });
    expect(decideLiveness("active", { challenge: failed })).toEqual({ live: false, reason: "timeout" });
    expect(decideLiveness("active", { challenge: running })).toEqual({ live: false, reason: "challenge-unfinished" });
    expect(decideLiveness("active", { passive: passiveOk })).toEqual({ live: false, reason: "challenge-missing" });
  });

  test("both needs both, reporting the challenge's failure first", () => {
    expect(decideLiveness("both", { passive: passiveOk, challenge: passed })).toEqual({ live: true });
    expect(decideLiveness("both", { passive: passiveBad, challenge: failed })).toEqual({ live: false, reason: "timeout" });
    expect(decideLiveness("both", { passive: passiveBad, challenge: passed })).toEqual({ live: false, reason: "not-live" });
  });
});

describe("liveness reasons in results", () => {
  test("every reason a liveness decision gives is a liveness failure of the result contract", () => {
    // Listing the union as a record keys it exhaustively: a new reason fails the type check until added here.
    const reasons: Record<Extract<LivenessDecision, { live: false }>["reason"], true> = {
      "not-real": true,
      "not-live": true,
      "no-face": true,
      timeout: true,
      "face-swapped": true,
      "multiple-faces": true,
      "wrong-action": true,
      "challenge-unfinished": true,
      "challenge-missing": true,
      "passive-missing": true,
    };
    const known: readonly string[] = LIVENESS_FAILURES;
    expect([...Object.keys(reasons), ...CHALLENGE_FAILURES].filter((reason) => !known.includes(reason))).toEqual([]);
  });
});
