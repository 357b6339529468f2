/**
 * Settings of the verification session machine: each screen's idle
 * countdown, the attempt limit and the voice's pace. Defaults follow the
 * kiosk UX norms (`notes/kiosk.md` §3.3): 60–120 s of inactivity, then a
 * "Need more time?" warning with a 30 s countdown (WCAG 2.2.1 asks for at
 * least 20 s to extend with one action), then the hard reset; at most 3
 * face attempts per session (§3.4).
 */
import type { SessionStep } from "@kiosk/contracts";

/** Steps with an idle countdown: every step of a session. */
export type TimedStep = Exclude<SessionStep, "idle" | "out-of-service">;

/**
 * Steps the kiosk is busy on (reading the card, capturing the face, saving):
 * their countdown is a watchdog, hidden from the applicant, and a touch does
 * not extend it.
 */
export const BUSY_STEPS: ReadonlySet<SessionStep> = new Set<SessionStep>(["reading", "face", "saving"]);

/** The countdown of one step. */
export interface StepTimeout {
  /** Inactivity before the warning, in milliseconds (the whole watchdog on a busy step). */
  readonly idleMs: number;
  /** Length of the visible warning countdown, in milliseconds; 0 on busy steps. */
  readonly warningMs: number;
}

/** Settings of {@linkcode VerificationSession}. */
export interface SessionSettings {
  readonly timeouts: Readonly<Record<TimedStep, StepTimeout>>;
  /** Face attempts before the referral. */
  readonly maxAttempts: number;
  /** Least time between two spoken guidance prompts, in milliseconds (the text still changes at once). */
  readonly guidancePromptGapMs: number;
}

const WARNING_MS = 30_000;

/** The defaults; see the module comment for where the numbers come from. */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = Object.freeze({
  timeouts: Object.freeze({
    "language": { idleMs: 60_000, warningMs: WARNING_MS },
    // The notice names who processes which data, why and for how long: give time to read it.
    "consent": { idleMs: 120_000, warningMs: WARNING_MS },
    "place-card": { idleMs: 60_000, warningMs: WARNING_MS },
    // A read takes about a second; the reader's own retries end well before this.
    "reading": { idleMs: 20_000, warningMs: 0 },
    // Longer than the capture's own time limit (`face.capture.timeLimitMs`), which reports `timed-out` first.
    "face": { idleMs: 90_000, warningMs: 0 },
    "face-retry": { idleMs: 60_000, warningMs: WARNING_MS },
    "matters": { idleMs: 120_000, warningMs: WARNING_MS },
    "signature": { idleMs: 120_000, warningMs: WARNING_MS },
    // A commit takes milliseconds; past this the store is taken as refusing results.
    "saving": { idleMs: 15_000, warningMs: 0 },
    // The result stays long enough to note the referral code, then the kiosk resets.
    "result": { idleMs: 45_000, warningMs: 15_000 },
  }),
  maxAttempts: 3,
  guidancePromptGapMs: 4_000,
});

/**
 * Checks `settings`.
 *
 * @throws {RangeError} when a duration is negative or not finite, a step's
 *   countdown is empty, a busy step has a warning, or `maxAttempts` is not a
 *   whole number of at least 1.
 */
export function checkSessionSettings(settings: SessionSettings): SessionSettings {
  for (const [step, { idleMs, warningMs }] of Object.entries(settings.timeouts)) {
    if (!(Number.isFinite(idleMs) && idleMs >= 0 && Number.isFinite(warningMs) && warningMs >= 0 && idleMs + warningMs > 0)) {
      throw new RangeError(`Invalid timeout of step "${step}": idleMs "${idleMs}", warningMs "${warningMs}"`);
    }
    if (BUSY_STEPS.has(step as TimedStep) && warningMs > 0) {
      throw new RangeError(`Invalid timeout of step "${step}": a busy step has no warning, got warningMs "${warningMs}"`);
    }
  }
  if (!Number.isInteger(settings.maxAttempts) || settings.maxAttempts < 1) {
    throw new RangeError(`Invalid maxAttempts "${settings.maxAttempts}": expected a whole number of at least 1`);
  }
  if (!(Number.isFinite(settings.guidancePromptGapMs) && settings.guidancePromptGapMs >= 0)) {
    throw new RangeError(`Invalid guidancePromptGapMs "${settings.guidancePromptGapMs}": expected 0 or more`);
  }
  return settings;
}
