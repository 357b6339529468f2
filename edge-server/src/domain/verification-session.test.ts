import { describe, expect, test } from "bun:test";
import { CARD_REJECTIONS, SESSION_DEVICES, SESSION_PROMPT_KEYS, type SessionStep } from "@kiosk/contracts";
import { CARD, FACE, Journey, MATTERS, MODEL } from "./testing/session-journey.ts";
import { VerificationSession } from "./verification-session.ts";
import { isReferralCode } from "./verification-session-referral.ts";
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from "./verification-session-settings.ts";
import { nextTimerAtMs } from "./verification-session-timeouts.ts";
import type { ResultDraft, SessionEvent, SessionState } from "./verification-session-types.ts";

const TIMEOUTS = DEFAULT_SESSION_SETTINGS.timeouts;
/** Steps of a running session, before and after the card's read. */
const BEFORE_CARD = ["language", "consent", "place-card", "reading"] as const;
const AFTER_CARD = ["face", "face-retry", "matters", "signature"] as const;

function journeyTo(step: SessionStep, options: { loaded?: boolean } = {}): Journey {
  const j = new Journey();
  if (step === "face-retry") {
    j.to("face").send({ type: "face-outcome", attempt: 1, result: FACE.notMatched, model: MODEL });
    return j;
  }
  if (step === "out-of-service") {
    j.send({ type: "device-status", device: "camera", ok: false });
    return j;
  }
  return j.to(step, options);
}

function lastDraft(j: Journey): ResultDraft {
  const saves = j.effectsOf("save-result");
  const draft = saves.at(-1)?.draft;
  if (!draft) throw new Error("No result was saved");
  return draft;
}

/** True when nothing of the card holder is left in `state`. */
function holdsNoCard(state: SessionState): boolean {
  const text = JSON.stringify(state);
  return !text.includes(CARD.idNumber) && !text.includes(CARD.name) && !text.includes(CARD.birthDate) && !("session" in state);
}

describe("the passing journey", () => {
  test("goes idle → language → consent → card → face → matters → signature → saving → result → idle", () => {
    const j = new Journey();
    const steps: SessionStep[] = [j.state.step];
    j.to("result");
    for (const e of j.effects) if (e.type === "play-prompt") steps.push(e.prompt as SessionStep);
    expect(steps).toEqual(["idle", "language", "consent", "place-card", "reading", "face", "matters", "signature", "result-verified" as SessionStep]);
    expect(j.send({ type: "done" }).state).toEqual(new Journey().state);
  });

  test("asks the shell for the card, the face, the matters and the save in that order", () => {
    const j = new Journey().to("result");
    const commands = j.effects.filter((e) => e.type !== "play-prompt").map((e) => e.type);
    expect(commands).toEqual(["start-card-reading", "stop-card-reading", "start-face-capture", "load-matters", "save-result", "wipe-session"]);
    expect(j.effectsOf("start-face-capture")).toEqual([{ type: "start-face-capture", sessionId: j.sessionId, attempt: 1 }]);
    expect(j.effectsOf("load-matters")).toEqual([{ type: "load-matters", sessionId: j.sessionId, cardNumber: CARD.idNumber }]);
    expect(j.effectsOf("wipe-session")).toEqual([{ type: "wipe-session", sessionId: j.sessionId }]);
  });

  test("saves a verified result bound to the confirmed matters with every role, the face evidence and the times", () => {
    const j = new Journey().to("matters");
    j.send({ type: "toggle-matter", matterId: "M-1", confirmed: true }, 1_000);
    j.send({ type: "confirm-matters" }, 1_000);
    j.send({ type: "signed" }, 5_000);
    expect(lastDraft(j)).toEqual({
      sessionId: j.sessionId,
      outcome: "verified",
      card: CARD,
      cardRejections: [],
      face: { model: MODEL, livenessPassed: true, score: { similarity: 0.71, threshold: 0.42 } },
      attempts: [],
      matters: [
        { matterId: "M-1", role: "legal-representative" },
        { matterId: "M-1", role: "shareholder" },
      ],
      language: "zh",
      startedAt: new Date(j.nowMs - 7_000).toISOString(),
      signedAt: new Date(j.nowMs).toISOString(),
      completedAt: new Date(j.nowMs).toISOString(),
    });
  });

  test("drops the card from the state once the session ends, before the result is even saved", () => {
    const j = new Journey().to("signature");
    expect(JSON.stringify(j.state)).toContain(CARD.idNumber);
    j.send({ type: "signed" });
    expect(j.state.step).toBe("saving");
    expect(holdsNoCard(j.state)).toBe(true);
    j.send({ type: "result-saved", sessionId: j.sessionId });
    expect(holdsNoCard(j.state)).toBe(true);
  });

  test("gives each session its own id and starts it in Chinese", () => {
    const j = new Journey();
    j.send({ type: "set-language", language: "en" });
    j.to("result");
    const first = j.sessionId;
    j.send({ type: "done" });
    expect(j.state.language).toBe("zh");
    j.to("language");
    expect(j.sessionId).not.toBe(first);
  });

  test("wakes from the attract loop when a card is placed", () => {
    const j = new Journey();
    expect(j.send({ type: "card-inserted" }).state.step).toBe("language");
  });

  test("plays only prompts that have a clip", () => {
    const j = new Journey().to("face");
    j.send({ type: "face-update", attempt: 1, update: { type: "guidance", code: "too-far" } });
    j.send({ type: "face-update", attempt: 1, update: { type: "challenge", action: "blink", step: 0, of: 1 } });
    j.send({ type: "face-outcome", attempt: 1, result: FACE.tooDark, model: MODEL });
    j.send({ type: "tick" }, TIMEOUTS["face-retry"].idleMs);
    const prompts = j.effectsOf("play-prompt").map((e) => e.prompt);
    expect(prompts.length).toBeGreaterThan(5);
    for (const prompt of prompts) expect(SESSION_PROMPT_KEYS as readonly string[]).toContain(prompt);
  });
});

describe("language", () => {
  test.each([...BEFORE_CARD, ...AFTER_CARD, "idle", "saving", "result", "out-of-service"] as SessionStep[])("switches on %s without leaving the step", (step) => {
    const j = journeyTo(step);
    const before = j.state;
    const result = j.send({ type: "set-language", language: "en" });
    expect(result.rejection).toBeNull();
    expect(result.state.step).toBe(before.step);
    expect(result.state.language).toBe("en");
    expect({ ...result.state, language: before.language, timer: before.timer }).toEqual(before);
    for (const e of result.effects) expect(e).toMatchObject({ type: "play-prompt", language: "en" });
  });

  test("chosen on the language screen carries into the consent screen and the result", () => {
    const j = new Journey();
    j.send({ type: "start" });
    const result = j.send({ type: "choose-language", language: "en" });
    expect(result.state).toMatchObject({ step: "consent", language: "en" });
    expect(result.effects).toEqual([{ type: "play-prompt", prompt: "consent", language: "en" }]);
    j.to("saving");
    expect(lastDraft(j).language).toBe("en");
  });

  test("refuses a language the kiosk does not speak", () => {
    const j = journeyTo("consent");
    const result = j.send({ type: "set-language", language: "fr" } as unknown as SessionEvent);
    expect(result.rejection?.code).toBe("invalid-event");
    expect(result.state.language).toBe("zh");
  });
});

describe("consent", () => {
  test("declined ends with a saved `declined` result and a referral code, without a card", () => {
    const j = journeyTo("consent");
    const result = j.send({ type: "consent", agree: false });
    expect(result.state.step).toBe("saving");
    const draft = lastDraft(j);
    expect(draft.outcome).toBe("declined");
    expect(draft.card).toBeUndefined();
    expect(isReferralCode(draft.referralCode ?? "")).toBe(true);
    expect(j.effectsOf("start-card-reading")).toEqual([]);
    j.send({ type: "result-saved", sessionId: draft.sessionId });
    expect(j.state).toMatchObject({ step: "result", ending: { outcome: "declined", referralCode: draft.referralCode } });
  });

  test("agreed starts the card reading", () => {
    const j = journeyTo("consent");
    expect(j.send({ type: "consent", agree: true }).effects).toEqual([{ type: "start-card-reading" }, { type: "play-prompt", prompt: "place-card", language: "zh" }]);
  });
});

describe("the card", () => {
  test.each(CARD_REJECTIONS.filter((r) => r !== "unsupported-card" && r !== "photo-no-face"))("refused as %s: saved as card-rejected with its reason and a referral", (rejection) => {
    const j = journeyTo("reading");
    const result = j.send({ type: "card-read", card: CARD, rejections: [rejection] });
    expect(result.state).toMatchObject({ step: "saving", ending: { outcome: "card-rejected", cardRejections: [rejection] } });
    expect(result.effects.map((e) => e.type)).toEqual(["stop-card-reading", "save-result", "wipe-session"]);
    const draft = lastDraft(j);
    expect(draft).toMatchObject({ outcome: "card-rejected", card: CARD, cardRejections: [rejection] });
    expect(isReferralCode(draft.referralCode ?? "")).toBe(true);
    expect(holdsNoCard(result.state)).toBe(true);
  });

  test("with several problems keeps them all", () => {
    const j = journeyTo("reading");
    j.send({ type: "card-read", card: CARD, rejections: ["expired", "reported-stolen"] });
    expect(lastDraft(j).cardRejections).toEqual(["expired", "reported-stolen"]);
  });

  test.each([
    [["reported-lost"], "card-reported-lost"],
    [["expired", "reported-stolen"], "card-expired"],
  ] as const)("refused as %p: its result screen speaks the first reason, not only the referral", (rejections, prompt) => {
    const j = journeyTo("reading");
    j.send({ type: "card-read", card: CARD, rejections: [...rejections] });
    const saved = j.send({ type: "result-saved", sessionId: lastDraft(j).sessionId });
    expect(saved.state).toMatchObject({ step: "result", ending: { outcome: "card-rejected" } });
    expect(saved.effects).toEqual([{ type: "play-prompt", prompt, language: "zh" }]);
  });

  test("of an unsupported layout is refused with no card fields", () => {
    const j = journeyTo("reading");
    j.send({ type: "card-read-failed", reason: "unsupported-card" });
    expect(lastDraft(j)).toMatchObject({ outcome: "card-rejected", cardRejections: ["unsupported-card"] });
    expect(lastDraft(j).card).toBeUndefined();
  });

  test("whose photo has no face is refused without counting an attempt", () => {
    const j = journeyTo("face");
    const result = j.send({ type: "face-outcome", attempt: 1, result: { outcome: "chip-unusable" }, model: MODEL });
    expect(result.effects[0]).toEqual({ type: "stop-face-capture" });
    expect(lastDraft(j)).toMatchObject({ outcome: "card-rejected", cardRejections: ["photo-no-face"], attempts: [] });
  });

  test("that failed to read is asked for again, and may be read straight from the place-card screen", () => {
    const j = journeyTo("reading");
    expect(j.send({ type: "card-read-failed", reason: "read-failed" }).state).toMatchObject({ step: "place-card", notice: "read-failed" });
    expect(j.send({ type: "card-read", card: CARD, rejections: [] }).state.step).toBe("face");
  });

  test("asked for again says why: a failed read, or a card lifted before it was read", () => {
    const failed = journeyTo("reading").send({ type: "card-read-failed", reason: "read-failed" });
    expect(failed.effects).toEqual([{ type: "play-prompt", prompt: "place-card-read-failed", language: "zh" }]);
    const j = journeyTo("reading");
    j.send({ type: "card-removed" });
    expect(j.send({ type: "set-language", language: "en" }).effects).toEqual([{ type: "play-prompt", prompt: "place-card-card-removed-early", language: "en" }]);
  });
});

describe("face attempts", () => {
  test("a failure shows its reason with the attempt left, and a retry starts the next capture", () => {
    const j = journeyTo("face");
    const failed = j.send({ type: "face-outcome", attempt: 1, result: FACE.tooDark, model: MODEL });
    expect(failed.state).toMatchObject({ step: "face-retry", reason: "too-dark" });
    expect(failed.effects).toEqual([{ type: "play-prompt", prompt: "attempt-too-dark", language: "zh" }]);
    const retry = j.send({ type: "retry-face" });
    expect(retry.state).toMatchObject({ step: "face", attempt: 2, guidance: null, challenge: null });
    expect(retry.effects[0]).toEqual({ type: "start-face-capture", sessionId: j.sessionId, attempt: 2 });
  });

  test("3 failures end with a referral carrying every reason, and no 4th capture", () => {
    const j = journeyTo("face");
    j.send({ type: "face-outcome", attempt: 1, result: FACE.notMatched, model: MODEL });
    j.send({ type: "retry-face" });
    j.send({ type: "face-outcome", attempt: 2, result: FACE.tooDark, model: MODEL });
    j.send({ type: "retry-face" });
    const last = j.send({ type: "face-outcome", attempt: 3, result: FACE.notMatched, model: MODEL });
    expect(last.state).toMatchObject({ step: "saving", ending: { outcome: "face-mismatch", attemptFailures: ["not-same-person", "too-dark", "not-same-person"] } });
    expect(j.effectsOf("start-face-capture").map((e) => e.attempt)).toEqual([1, 2, 3]);
    const draft = lastDraft(j);
    expect(draft.attempts).toEqual([
      { attempt: 1, reason: "not-same-person" },
      { attempt: 2, reason: "too-dark" },
      { attempt: 3, reason: "not-same-person" },
    ]);
    expect(draft.face).toEqual({ model: MODEL, livenessPassed: true, score: { similarity: 0.12, threshold: 0.42 } });
    expect(isReferralCode(draft.referralCode ?? "")).toBe(true);
    expect(j.send({ type: "retry-face" }).rejection?.code).toBe("not-in-step");
  });

  test("a liveness failure among them makes the outcome liveness-failed", () => {
    const j = journeyTo("face");
    j.send({ type: "face-outcome", attempt: 1, result: FACE.notLive, model: MODEL });
    j.send({ type: "retry-face" });
    j.send({ type: "face-outcome", attempt: 2, result: FACE.notMatched, model: MODEL });
    j.send({ type: "retry-face" });
    j.send({ type: "face-outcome", attempt: 3, result: FACE.tooDark, model: MODEL });
    expect(lastDraft(j)).toMatchObject({ outcome: "liveness-failed" });
  });

  test("follows the attempt limit of the settings", () => {
    const j = new Journey({ ...DEFAULT_SESSION_SETTINGS, maxAttempts: 1 }).to("face");
    expect(j.send({ type: "face-outcome", attempt: 1, result: FACE.notMatched, model: MODEL }).state.step).toBe("saving");
  });

  test("a pass after a failure keeps the failure's reason and the passing scores", () => {
    const j = journeyTo("face-retry");
    j.send({ type: "retry-face" });
    j.send({ type: "face-outcome", attempt: 2, result: FACE.matched, model: MODEL });
    j.to("saving");
    expect(lastDraft(j)).toMatchObject({ outcome: "verified", attempts: [{ attempt: 1, reason: "not-same-person" }], face: { livenessPassed: true, score: { similarity: 0.71 } } });
  });

  test("going to a staff window instead of retrying ends with a referral", () => {
    const j = journeyTo("face-retry");
    j.send({ type: "ask-for-staff" });
    expect(lastDraft(j)).toMatchObject({ outcome: "face-mismatch", attempts: [{ attempt: 1, reason: "not-same-person" }] });
    expect(j.state).toMatchObject({ step: "saving", ending: { referralCode: lastDraft(j).referralCode } });
  });

  test("ignores the outcome and updates of an earlier attempt, and a cancelled capture", () => {
    const j = journeyTo("face-retry");
    j.send({ type: "retry-face" });
    expect(j.send({ type: "face-outcome", attempt: 1, result: FACE.matched, model: MODEL }).rejection?.code).toBe("stale");
    expect(j.send({ type: "face-update", attempt: 1, update: { type: "guidance", code: "too-far" } }).rejection?.code).toBe("stale");
    expect(j.send({ type: "face-outcome", attempt: 2, result: { outcome: "cancelled" }, model: MODEL }).rejection?.code).toBe("stale");
    expect(j.state).toMatchObject({ step: "face", attempt: 2, guidance: null });
  });

  test("shows each guidance at once but speaks them no closer than the gap", () => {
    const j = journeyTo("face");
    const guide = (code: "too-far" | "too-dark" | null, afterMs: number) => j.send({ type: "face-update", attempt: 1, update: { type: "guidance", code } }, afterMs);
    expect(guide("too-far", 0).effects).toEqual([{ type: "play-prompt", prompt: "guidance-too-far", language: "zh" }]);
    expect(guide("too-dark", 1_000).effects).toEqual([]);
    expect(j.state).toMatchObject({ guidance: "too-dark" });
    expect(guide(null, 1_000).effects).toEqual([]);
    expect(guide("too-dark", DEFAULT_SESSION_SETTINGS.guidancePromptGapMs).effects).toEqual([{ type: "play-prompt", prompt: "guidance-too-dark", language: "zh" }]);
  });

  test("speaks each new challenge action once and clears it when the challenge is done", () => {
    const j = journeyTo("face");
    const challenge = (action: "blink" | "turn-left" | undefined, step: number) => j.send({ type: "face-update", attempt: 1, update: { type: "challenge", action, step, of: 2 } });
    expect(challenge("blink", 0).effects).toEqual([{ type: "play-prompt", prompt: "challenge-blink", language: "zh" }]);
    expect(challenge("blink", 0).effects).toEqual([]);
    expect(challenge("turn-left", 1).effects).toEqual([{ type: "play-prompt", prompt: "challenge-turn-left", language: "zh" }]);
    expect(j.state).toMatchObject({ challenge: { action: "turn-left", step: 1, of: 2 } });
    challenge(undefined, 2);
    expect(j.state).toMatchObject({ challenge: null });
  });
});

describe("matters", () => {
  test("are loading until the shell answers, then listed with none confirmed", () => {
    const j = journeyTo("matters", { loaded: false });
    expect(j.state).toMatchObject({ step: "matters", matters: null, confirmed: [] });
    expect(j.send({ type: "confirm-matters" }).rejection?.code).toBe("not-in-step");
    j.send({ type: "matters-loaded", sessionId: j.sessionId, matters: MATTERS });
    expect(j.state).toMatchObject({ matters: MATTERS, confirmed: [] });
  });

  test("need at least one confirmed to go on; a confirmation can be taken back", () => {
    const j = journeyTo("matters");
    expect(j.send({ type: "confirm-matters" }).rejection?.code).toBe("nothing-confirmed");
    j.send({ type: "toggle-matter", matterId: "M-2", confirmed: true });
    j.send({ type: "toggle-matter", matterId: "M-1", confirmed: true });
    j.send({ type: "toggle-matter", matterId: "M-2", confirmed: false });
    expect(j.state).toMatchObject({ confirmed: ["M-1"] });
    expect(j.send({ type: "confirm-matters" }).state).toMatchObject({ step: "signature", confirmed: [{ matterId: "M-1", role: "legal-representative" }, { matterId: "M-1", role: "shareholder" }] });
  });

  test("refuse a matter that is not listed", () => {
    const j = journeyTo("matters");
    expect(j.send({ type: "toggle-matter", matterId: "M-404", confirmed: true }).rejection?.code).toBe("unknown-matter");
  });

  test("none pending ends plainly as no-pending-matter, with the face evidence and no referral", () => {
    const j = journeyTo("matters", { loaded: false });
    j.send({ type: "matters-loaded", sessionId: j.sessionId, matters: [] });
    expect(lastDraft(j)).toMatchObject({ outcome: "no-pending-matter", matters: [], face: { livenessPassed: true } });
    expect(lastDraft(j).referralCode).toBeUndefined();
    j.send({ type: "result-saved", sessionId: j.sessionId });
    expect(j.state).toMatchObject({ step: "result", ending: { outcome: "no-pending-matter", referralCode: null } });
  });

  test("none recognised sends the applicant to a staff window with a referral", () => {
    const j = journeyTo("matters");
    j.send({ type: "ask-for-staff" });
    expect(lastDraft(j)).toMatchObject({ outcome: "no-pending-matter", matters: [] });
    expect(isReferralCode(lastDraft(j).referralCode ?? "")).toBe(true);
  });

  test("from another session are ignored", () => {
    const j = journeyTo("matters", { loaded: false });
    expect(j.send({ type: "matters-loaded", sessionId: "another", matters: MATTERS }).rejection?.code).toBe("stale");
  });
});

describe("saving", () => {
  test("shows the result only once the result of this session is committed", () => {
    const j = journeyTo("saving");
    expect(j.send({ type: "result-saved", sessionId: "another" }).rejection?.code).toBe("stale");
    expect(j.send({ type: "done" }).rejection?.code).toBe("not-in-step");
    expect(j.state.step).toBe("saving");
    expect(j.send({ type: "result-saved", sessionId: j.sessionId }).state.step).toBe("result");
  });
});

describe("timeouts", () => {
  test.each(BEFORE_CARD)("on %s go back to idle with no result", (step) => {
    const j = journeyTo(step);
    const sessionId = j.sessionId;
    const result = j.send({ type: "tick" }, TIMEOUTS[step].idleMs + TIMEOUTS[step].warningMs);
    expect(result.state).toEqual(new Journey().state);
    expect(j.effectsOf("save-result")).toEqual([]);
    expect(result.effects.at(-1)).toEqual({ type: "wipe-session", sessionId });
  });

  test.each(AFTER_CARD)("on %s end the session as abandoned with a result", (step) => {
    const j = journeyTo(step);
    const result = j.send({ type: "tick" }, TIMEOUTS[step].idleMs + TIMEOUTS[step].warningMs);
    expect(result.state.step).toBe("idle");
    expect(holdsNoCard(result.state)).toBe(true);
    expect(lastDraft(j)).toMatchObject({ outcome: "abandoned", card: CARD, matters: [] });
    expect(lastDraft(j).referralCode).toBeUndefined();
    expect(result.effects.filter((e) => e.type === "save-result" || e.type === "wipe-session").map((e) => e.type)).toEqual(["save-result", "wipe-session"]);
    if (step === "face") expect(result.effects[0]).toEqual({ type: "stop-face-capture" });
  });

  test("on the result screen go back to idle", () => {
    const j = journeyTo("result");
    expect(j.send({ type: "tick" }, TIMEOUTS.result.idleMs + TIMEOUTS.result.warningMs)).toEqual({ state: new Journey().state, effects: [], rejection: null });
  });

  test("on saving take the store as refusing results", () => {
    const j = journeyTo("saving");
    const result = j.send({ type: "tick" }, TIMEOUTS.saving.idleMs);
    expect(result.state).toMatchObject({ step: "out-of-service", faults: ["storage"] });
    expect(j.effectsOf("save-result")).toHaveLength(1);
    expect(j.send({ type: "device-status", device: "storage", ok: true }).state.step).toBe("idle");
  });

  test("warn once, with a prompt, then a touch restarts the countdown", () => {
    const j = journeyTo("consent");
    const { idleMs, warningMs } = TIMEOUTS.consent;
    const enteredAt = j.nowMs;
    expect(nextTimerAtMs(j.state)).toBe(enteredAt + idleMs);
    expect(j.send({ type: "tick" }, idleMs - 1).effects).toEqual([]);
    expect(j.send({ type: "tick" }, 1).effects).toEqual([{ type: "play-prompt", prompt: "timeout-warning", language: "zh" }]);
    expect(nextTimerAtMs(j.state)).toBe(enteredAt + idleMs + warningMs);
    expect(j.send({ type: "tick" }, 1_000).effects).toEqual([]);
    expect(j.send({ type: "touch" }, 1_000).state.timer).toEqual({ warningAtMs: j.nowMs + idleMs, deadlineAtMs: j.nowMs + idleMs + warningMs, warned: false });
    expect(j.send({ type: "tick" }, idleMs - 1).state.step).toBe("consent");
  });

  test("apply before a late event: a touch after the deadline does not revive the session", () => {
    const j = journeyTo("matters");
    const result = j.send({ type: "touch" }, TIMEOUTS.matters.idleMs + TIMEOUTS.matters.warningMs);
    expect(result.state.step).toBe("idle");
    expect(result.rejection?.code).toBe("not-in-step");
    expect(result.effects.map((e) => e.type)).toEqual(["save-result", "wipe-session"]);
  });

  test("on busy steps are watchdogs a touch does not extend", () => {
    const j = journeyTo("face");
    const timer = j.state.timer;
    expect(j.send({ type: "touch" }, 1_000).rejection?.code).toBe("not-in-step");
    expect(j.state.timer).toEqual(timer);
    expect(timer).toMatchObject({ warningAtMs: timer?.deadlineAtMs });
  });

  test("follow the settings", () => {
    const settings: SessionSettings = { ...DEFAULT_SESSION_SETTINGS, timeouts: { ...TIMEOUTS, language: { idleMs: 5_000, warningMs: 2_000 } } };
    const j = new Journey(settings).to("language");
    expect(j.send({ type: "tick" }, 6_999).state.step).toBe("language");
    expect(j.send({ type: "tick" }, 1).state.step).toBe("idle");
  });

  test("none on idle and out of service", () => {
    expect(nextTimerAtMs(journeyTo("idle").state)).toBeNull();
    expect(nextTimerAtMs(journeyTo("out-of-service").state)).toBeNull();
  });
});

describe("start over", () => {
  test.each(BEFORE_CARD)("on %s goes back to idle with no result", (step) => {
    const j = journeyTo(step);
    expect(j.send({ type: "start-over" }).state.step).toBe("idle");
    expect(j.effectsOf("save-result")).toEqual([]);
    expect(j.effectsOf("wipe-session")).toHaveLength(1);
  });

  test.each(AFTER_CARD)("on %s saves an abandoned result", (step) => {
    const j = journeyTo(step);
    expect(j.send({ type: "start-over" }).state.step).toBe("idle");
    expect(lastDraft(j)).toMatchObject({ outcome: "abandoned" });
  });

  test("on the place-card screen stops the reading", () => {
    const j = journeyTo("place-card");
    expect(j.send({ type: "start-over" }).effects[0]).toEqual({ type: "stop-card-reading" });
  });
});

describe("card removal", () => {
  test.each(["idle", "language", "consent", "place-card", "saving", "result", "out-of-service"] as SessionStep[])("on %s changes nothing", (step) => {
    const j = journeyTo(step);
    const before = j.state;
    const result = j.send({ type: "card-removed" });
    expect(result.rejection?.code).toBe("not-in-step");
    expect(result.state).toBe(before);
    expect(result.effects).toEqual([]);
  });

  test("while reading asks for the card again, keeping the session", () => {
    const j = journeyTo("reading");
    const result = j.send({ type: "card-removed" });
    expect(result.state).toMatchObject({ step: "place-card", notice: "card-removed-early", session: { sessionId: j.sessionId } });
    expect(j.effectsOf("save-result")).toEqual([]);
  });

  test.each(AFTER_CARD)("on %s abandons the session with a result", (step) => {
    const j = journeyTo(step);
    const result = j.send({ type: "card-removed" });
    expect(result.state.step).toBe("idle");
    expect(holdsNoCard(result.state)).toBe(true);
    expect(lastDraft(j)).toMatchObject({ outcome: "abandoned", card: CARD });
    expect(result.effects.at(-1)).toEqual({ type: "wipe-session", sessionId: lastDraft(j).sessionId });
  });
});

describe("device faults", () => {
  const ALL_STEPS = ["idle", ...BEFORE_CARD, ...AFTER_CARD, "saving", "result"] as const;

  test.each(SESSION_DEVICES.flatMap((device) => ALL_STEPS.map((step) => [device, step] as const)))("%s lost on %s: out of service, back to idle when it returns", (device, step) => {
    const j = journeyTo(step);
    const hadSession = "session" in j.state;
    const pastCard = (AFTER_CARD as readonly string[]).includes(step);
    const lost = j.send({ type: "device-status", device, ok: false });
    expect(lost.state).toMatchObject({ step: "out-of-service", faults: [device], timer: null });
    expect(holdsNoCard(lost.state)).toBe(true);
    expect(lost.effects.at(-1)).toEqual({ type: "play-prompt", prompt: "out-of-service", language: "zh" });
    expect(lost.effects.some((e) => e.type === "wipe-session")).toBe(hadSession);
    const saved = lost.effects.filter((e) => e.type === "save-result");
    expect(saved.map((e) => e.draft.outcome)).toEqual(pastCard ? ["abandoned"] : []);
    if (step === "face") expect(lost.effects[0]).toEqual({ type: "stop-face-capture" });
    if (step === "place-card" || step === "reading") expect(lost.effects[0]).toEqual({ type: "stop-card-reading" });
    expect(j.send({ type: "start" }).rejection?.code).toBe("not-in-step");
    expect(j.send({ type: "device-status", device, ok: true })).toEqual({ state: new Journey().state, effects: [], rejection: null });
  });

  test("stay out of service until every fault has cleared; repeats change nothing", () => {
    const j = journeyTo("face");
    j.send({ type: "device-status", device: "camera", ok: false });
    const again = j.send({ type: "device-status", device: "camera", ok: false });
    expect(again.effects).toEqual([]);
    j.send({ type: "device-status", device: "reader", ok: false });
    expect(j.send({ type: "device-status", device: "camera", ok: true }).state).toMatchObject({ step: "out-of-service", faults: ["reader"] });
    expect(j.send({ type: "device-status", device: "storage", ok: true }).effects).toEqual([]);
    expect(j.send({ type: "device-status", device: "reader", ok: true }).state.step).toBe("idle");
    expect(j.effectsOf("save-result")).toHaveLength(1);
  });

  test("a fault during saving lets the running save stand", () => {
    const j = journeyTo("saving");
    const lost = j.send({ type: "device-status", device: "storage", ok: false });
    expect(lost.effects).toEqual([{ type: "play-prompt", prompt: "out-of-service", language: "zh" }]);
    expect(j.send({ type: "result-saved", sessionId: lastDraft(j).sessionId }).rejection?.code).toBe("not-in-step");
  });
});

describe("bad input", () => {
  const BAD: unknown[] = [
    null,
    "start",
    {},
    { type: "launch-missiles" },
    { type: "toString" },
    { type: "consent" },
    { type: "consent", agree: "yes" },
    { type: "card-read", card: null, rejections: [] },
    { type: "card-read", card: CARD },
    { type: "card-read", card: CARD, rejections: ["smudged"] },
    { type: "face-outcome", attempt: 1, result: { outcome: "maybe" }, model: MODEL },
    { type: "face-update", attempt: 1, update: { type: "gossip" } },
    { type: "card-read-failed", reason: "gremlins" },
    { type: "face-outcome", attempt: "1", result: FACE.matched, model: MODEL },
    { type: "face-update", attempt: 1 },
    { type: "matters-loaded", sessionId: "x", matters: [null] },
    { type: "toggle-matter", matterId: 7, confirmed: true },
    { type: "device-status", device: "printer", ok: false },
  ];

  test.each(AFTER_CARD.flatMap((step) => BAD.map((event) => [step, event] as const)))("on %s, %j is refused as invalid, never thrown", (step, event) => {
    const j = journeyTo(step);
    const before = j.state;
    const result = j.machine.step(before, event as SessionEvent, j.nowMs);
    expect(result).toMatchObject({ state: before, effects: [], rejection: { code: "invalid-event", step } });
  });

  test.each([
    ["idle", { type: "signed" }],
    ["language", { type: "consent", agree: true }],
    ["consent", { type: "card-read", card: CARD, rejections: [] }],
    ["place-card", { type: "face-outcome", attempt: 1, result: FACE.matched, model: MODEL }],
    ["face", { type: "confirm-matters" }],
    ["face-retry", { type: "signed" }],
    ["matters", { type: "retry-face" }],
    ["signature", { type: "start" }],
    ["result", { type: "card-inserted" }],
  ] as [SessionStep, SessionEvent][])("on %s, an out-of-order %j is refused with the state unchanged", (step, event) => {
    const j = journeyTo(step);
    const before = j.state;
    const result = j.send(event);
    expect(result.rejection).toMatchObject({ code: "not-in-step", step, event: event.type });
    expect(result.rejection?.message).toBe(`Event "${event.type}" refused on step "${step}": the event does not apply to the current step`);
    expect(result.state).toBe(before);
  });
});

describe("settings", () => {
  test.each([
    ["a negative timeout", { ...DEFAULT_SESSION_SETTINGS, timeouts: { ...TIMEOUTS, consent: { idleMs: -1, warningMs: 0 } } }],
    ["an empty countdown", { ...DEFAULT_SESSION_SETTINGS, timeouts: { ...TIMEOUTS, consent: { idleMs: 0, warningMs: 0 } } }],
    ["a warning on a busy step", { ...DEFAULT_SESSION_SETTINGS, timeouts: { ...TIMEOUTS, face: { idleMs: 1_000, warningMs: 1_000 } } }],
    ["no attempt", { ...DEFAULT_SESSION_SETTINGS, maxAttempts: 0 }],
    ["a fractional attempt limit", { ...DEFAULT_SESSION_SETTINGS, maxAttempts: 2.5 }],
    ["a negative prompt gap", { ...DEFAULT_SESSION_SETTINGS, guidancePromptGapMs: -5 }],
  ] as [string, SessionSettings][])("with %s are refused", (_, settings) => {
    expect(() => new VerificationSession({ settings, random: Math.random, newSessionId: () => "x" })).toThrow(RangeError);
  });
});
