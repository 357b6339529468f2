/**
 * Sample session views for the UI's browser tests, one builder per step,
 * each valid under `sessionViewSchema` (checked when the fake edge serves it).
 */
import type { SessionLanguage, SessionView } from "@kiosk/contracts";

type Of<S extends SessionView["step"]> = Extract<SessionView, { step: S }>;

const outside = { language: "zh" as SessionLanguage, phaseIndex: null, phaseCount: 6 as const, countdown: null };
const card = { cardType: "resident" as const, maskedIdNumber: "1101********1234" };
const countdown = { secondsLeft: 55, warning: false };

export const views = {
  idle: (): Of<"idle"> => ({ step: "idle", ...outside }),
  language: (): Of<"language"> => ({ step: "language", ...outside, countdown }),
  consent: (): Of<"consent"> => ({ step: "consent", ...outside, phaseIndex: 1, countdown }),
  placeCard: (notice: Of<"place-card">["notice"] = null): Of<"place-card"> => ({ step: "place-card", ...outside, phaseIndex: 2, countdown, notice }),
  reading: (): Of<"reading"> => ({ step: "reading", ...outside, phaseIndex: 2 }),
  face: (overrides: Partial<Of<"face">> = {}): Of<"face"> => ({
    step: "face",
    ...outside,
    // A busy step: the edge shows no countdown there (its watchdog is hidden).
    phaseIndex: 3,
    card,
    attempt: 1,
    maxAttempts: 3,
    guidance: "too-far",
    challenge: { action: "blink", step: 0, of: 1 },
    ...overrides,
  }),
  faceRetry: (reason: Of<"face-retry">["reason"] = "not-same-person"): Of<"face-retry"> => ({
    step: "face-retry",
    ...outside,
    phaseIndex: 3,
    countdown,
    card,
    attempt: 1,
    maxAttempts: 3,
    reason,
  }),
  matters: (matters: Of<"matters">["matters"] = sampleMatters()): Of<"matters"> => ({
    step: "matters",
    ...outside,
    phaseIndex: 4,
    countdown,
    card,
    matters,
    canContinue: (matters ?? []).some((matter) => matter.confirmed),
  }),
  signature: (): Of<"signature"> => ({ step: "signature", ...outside, phaseIndex: 5, countdown, card }),
  saving: (): Of<"saving"> => ({ step: "saving", ...outside, phaseIndex: 6 }),
  result: (overrides: Partial<Of<"result">> = {}): Of<"result"> => ({
    step: "result",
    ...outside,
    phaseIndex: 6,
    countdown,
    kind: "verified",
    outcome: "verified",
    referralCode: null,
    cardRejections: [],
    attemptFailures: [],
    ...overrides,
  }),
  outOfService: (faults: Of<"out-of-service">["faults"]): Of<"out-of-service"> => ({ step: "out-of-service", ...outside, faults }),
};

/** Two pending matters, the first confirmed when `firstConfirmed`. */
export function sampleMatters(firstConfirmed = false): NonNullable<Of<"matters">["matters"]> {
  return [
    { matterId: "M-2026-001", companyName: "北京晨光科技有限公司", kind: "establishment", roles: ["legal-representative", "shareholder"], confirmed: firstConfirmed },
    { matterId: "M-2026-002", companyName: "Harbour Lane Trading Co., Ltd.", kind: "change", roles: ["director"], confirmed: false },
  ];
}
