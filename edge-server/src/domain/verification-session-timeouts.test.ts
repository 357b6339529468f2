import { describe, expect, test } from "bun:test";
import { Journey } from "./testing/session-journey.ts";
import { BUSY_STEPS, checkSessionSettings, DEFAULT_SESSION_SETTINGS } from "./verification-session-settings.ts";
import { nextTimerAtMs, secondsLeft, startTimer, timerPhase } from "./verification-session-timeouts.ts";

describe("startTimer and timerPhase", () => {
  const timer = startTimer({ idleMs: 60_000, warningMs: 30_000 }, 1_000);

  test("warn after the idle time and expire after the warning", () => {
    expect(timer).toEqual({ warningAtMs: 61_000, deadlineAtMs: 91_000, warned: false });
    expect(timerPhase(timer, 60_999)).toBe("running");
    expect(timerPhase(timer, 61_000)).toBe("warning");
    expect(timerPhase(timer, 90_999)).toBe("warning");
    expect(timerPhase(timer, 91_000)).toBe("expired");
  });

  test("secondsLeft rounds up and stops at 0", () => {
    expect(secondsLeft(timer, 61_000)).toBe(30);
    expect(secondsLeft(timer, 90_001)).toBe(1);
    expect(secondsLeft(timer, 95_000)).toBe(0);
  });
});

describe("nextTimerAtMs", () => {
  test("is the warning until it was played, then the deadline", () => {
    const j = new Journey().to("consent");
    const timer = j.state.timer;
    expect(nextTimerAtMs(j.state)).toBe(timer?.warningAtMs ?? Number.NaN);
    j.send({ type: "tick" }, DEFAULT_SESSION_SETTINGS.timeouts.consent.idleMs);
    expect(nextTimerAtMs(j.state)).toBe(timer?.deadlineAtMs ?? Number.NaN);
  });

  test("is the deadline on a step without warning", () => {
    const j = new Journey().to("reading");
    expect(nextTimerAtMs(j.state)).toBe(j.nowMs + DEFAULT_SESSION_SETTINGS.timeouts.reading.idleMs);
  });
});

describe("DEFAULT_SESSION_SETTINGS", () => {
  test("pass their own check", () => {
    expect(checkSessionSettings(DEFAULT_SESSION_SETTINGS)).toBe(DEFAULT_SESSION_SETTINGS);
  });

  test("follow the kiosk norms: 60-120 s before a warning of at least 20 s on every applicant's step, 3 attempts", () => {
    for (const [step, { idleMs, warningMs }] of Object.entries(DEFAULT_SESSION_SETTINGS.timeouts)) {
      if (BUSY_STEPS.has(step as keyof typeof DEFAULT_SESSION_SETTINGS.timeouts) || step === "result") continue;
      expect(idleMs).toBeGreaterThanOrEqual(60_000);
      expect(idleMs).toBeLessThanOrEqual(120_000);
      expect(warningMs).toBeGreaterThanOrEqual(20_000);
    }
    expect(DEFAULT_SESSION_SETTINGS.maxAttempts).toBe(3);
  });
});
