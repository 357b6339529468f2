import { describe, expect, test } from "bun:test";
import { SESSION_PHASES, sessionViewSchema, type SessionStep } from "@kiosk/contracts";
import { CARD, FACE, Journey, MODEL } from "./testing/session-journey.ts";
import { DEFAULT_SESSION_SETTINGS } from "./verification-session-settings.ts";
import { maskIdNumber, phaseIndex, sessionView } from "./verification-session-view.ts";

function journeyTo(step: SessionStep): Journey {
  const j = new Journey();
  if (step === "face-retry") j.to("face").send({ type: "face-outcome", attempt: 1, result: FACE.tooDark, model: MODEL });
  else if (step === "out-of-service") j.send({ type: "device-status", device: "reader", ok: false });
  else j.to(step);
  return j;
}

const STEPS: SessionStep[] = ["idle", "language", "consent", "place-card", "reading", "face", "face-retry", "matters", "signature", "saving", "result", "out-of-service"];

describe("maskIdNumber", () => {
  test.each([
    ["11010519491231002X", "1101********002X"],
    ["110105194912310", "1101********2310"],
    ["ABC123456789012", "ABC1********9012"],
    ["12345678901", "********"],
    ["", "********"],
  ])("%p → %p", (idNumber, masked) => {
    expect(maskIdNumber(idNumber)).toBe(masked);
  });
});

describe("sessionView", () => {
  test.each(STEPS)("of %s parses with the contract's schema and shows nothing of the holder but the masked number", (step) => {
    const j = journeyTo(step);
    const view = sessionView(j.state, j.nowMs);
    expect(view.step).toBe(step);
    expect(sessionViewSchema.parse(view)).toEqual(view);
    const text = JSON.stringify(view);
    for (const personal of [CARD.idNumber, CARD.name, CARD.birthDate, CARD.idNumber.slice(4, 14)]) expect(text).not.toContain(personal);
  });

  test("gives the step indicator's phase", () => {
    expect(STEPS.map((step) => phaseIndex(step))).toEqual([null, null, 1, 2, 2, 3, 3, 4, 5, 6, 6, null]);
    expect(sessionView(journeyTo("face").state, 0).phaseCount).toBe(Object.keys(SESSION_PHASES).length);
  });

  test("shows the masked card number from the face step on", () => {
    const j = journeyTo("face");
    expect(sessionView(j.state, j.nowMs)).toMatchObject({ card: { cardType: "resident", maskedIdNumber: "1101********002X" }, attempt: 1, maxAttempts: 3 });
  });

  test("shows the countdown, with the warning in its last part, and none on busy steps", () => {
    const j = journeyTo("consent");
    const { idleMs, warningMs } = DEFAULT_SESSION_SETTINGS.timeouts.consent;
    expect(sessionView(j.state, j.nowMs).countdown).toEqual({ secondsLeft: (idleMs + warningMs) / 1000, warning: false });
    expect(sessionView(j.state, j.nowMs + idleMs + 500).countdown).toEqual({ secondsLeft: warningMs / 1000, warning: true });
    expect(sessionView(journeyTo("face").state, 0).countdown).toBeNull();
    expect(sessionView(journeyTo("idle").state, 0).countdown).toBeNull();
  });

  test("shows the guidance and the challenge of the running attempt", () => {
    const j = journeyTo("face");
    j.send({ type: "face-update", attempt: 1, update: { type: "guidance", code: "too-far" } });
    j.send({ type: "face-update", attempt: 1, update: { type: "challenge", action: "turn-left", step: 1, of: 2 } });
    expect(sessionView(j.state, j.nowMs)).toMatchObject({ guidance: "too-far", challenge: { action: "turn-left", step: 1, of: 2 } });
  });

  test("shows the failed attempt's reason", () => {
    const j = journeyTo("face-retry");
    expect(sessionView(j.state, j.nowMs)).toMatchObject({ step: "face-retry", attempt: 1, maxAttempts: 3, reason: "too-dark" });
  });

  test("lists the matters with what is confirmed", () => {
    const j = journeyTo("matters");
    j.send({ type: "toggle-matter", matterId: "M-2", confirmed: true });
    expect(sessionView(j.state, j.nowMs)).toMatchObject({
      canContinue: true,
      matters: [
        { matterId: "M-1", kind: "establishment", roles: ["legal-representative", "shareholder"], confirmed: false },
        { matterId: "M-2", kind: "change", roles: ["director"], confirmed: true },
      ],
    });
  });

  test("shows a referral with its code and reasons", () => {
    const j = journeyTo("reading");
    j.send({ type: "card-read", card: CARD, rejections: ["reported-lost"] });
    j.send({ type: "result-saved", sessionId: j.sessionId });
    const view = sessionView(j.state, j.nowMs);
    expect(view).toMatchObject({ step: "result", kind: "referral", outcome: "card-rejected", cardRejections: ["reported-lost"], attemptFailures: [] });
    expect(view.step === "result" && view.referralCode).toMatch(/^\d{7}$/);
  });

  test("shows a pass as verified, without a code", () => {
    const j = journeyTo("result");
    expect(sessionView(j.state, j.nowMs)).toMatchObject({ kind: "verified", outcome: "verified", referralCode: null });
  });

  test("names the devices at fault", () => {
    const j = journeyTo("out-of-service");
    j.send({ type: "device-status", device: "storage", ok: false });
    expect(sessionView(j.state, j.nowMs)).toMatchObject({ step: "out-of-service", faults: ["reader", "storage"], phaseIndex: null });
  });
});
