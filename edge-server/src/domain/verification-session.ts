/**
 * The verification session as a pure state machine: `step(state, event,
 * nowMs)` returns the next state and the effects the shell carries out. The
 * time is passed in, randomness (referral codes) and session ids are
 * injected; there is no I/O and no timer (the shell sends a `tick` at
 * {@linkcode nextTimerAtMs}).
 *
 * The journey: idle → language → consent → place card → reading → face
 * (up to `maxAttempts` attempts, each failure with its reason) → matters →
 * signature → saving → result. Declining consent, a refused card, the last
 * failed attempt or "go to a staff window" end with a referral code.
 *
 * Ending rules:
 * - A timeout, "start over" or a card removal ends the session as
 *   `abandoned`, with a saved result once the card was read; before that,
 *   the kiosk goes back to idle with no result.
 * - The card must stay on the reader from its read until the result is
 *   committed (it binds the face and the matters to the card in hand); a
 *   removal on `face`, `face-retry`, `matters` or `signature` abandons the
 *   session. A removal during `reading` is a failed read: nothing was read,
 *   the applicant is there, so they are asked to place the card again. On
 *   the result screen the card may go.
 * - A device fault takes the kiosk out of service from any step, ending an
 *   active session as above (a result whose save is already running stands);
 *   when every fault has cleared the kiosk returns to idle by itself. The
 *   `saving` watchdog counts as a storage fault until the shell reports
 *   storage working again.
 * - Every ending drops the card from the state and asks the shell to wipe
 *   the session (`wipe-session`, after any `save-result`).
 */
import { CARD_REJECTIONS, SESSION_DEVICES, SESSION_LANGUAGES, type CardRejection, type SessionDevice, type SessionLanguage, type SessionPromptKey, type SessionStep } from "@kiosk/contracts";
import { attemptFailure, failedFaceOutcome, faceEvidence, resultDraft, resultKind, sessionEnding } from "./verification-session-outcome.ts";
import { referralCode } from "./verification-session-referral.ts";
import { BUSY_STEPS, checkSessionSettings, DEFAULT_SESSION_SETTINGS, type SessionSettings, type TimedStep } from "./verification-session-settings.ts";
import { startTimer, timerPhase } from "./verification-session-timeouts.ts";
import {
  SESSION_REJECTIONS,
  type ActiveSession,
  type CardSession,
  type ConfirmedMatter,
  type FaceAttemptResult,
  type SessionEffect,
  type SessionEnding,
  type SessionEvent,
  type SessionRejection,
  type SessionState,
  type StepResult,
} from "./verification-session-types.ts";

/** What {@linkcode VerificationSession} needs. */
export interface VerificationSessionDeps {
  /** Defaults to {@linkcode DEFAULT_SESSION_SETTINGS}. */
  readonly settings?: SessionSettings;
  /** Numbers in [0, 1) for referral codes. */
  readonly random: () => number;
  /** A new session id (a UUID for the result contract). */
  readonly newSessionId: () => string;
}

/** Steps on which the card read must stay on the reader: its removal abandons the session. */
const CARD_HELD_STEPS: ReadonlySet<SessionStep> = new Set<SessionStep>(["face", "face-retry", "matters", "signature"]);

/** The default language of every new session. */
const DEFAULT_LANGUAGE: SessionLanguage = SESSION_LANGUAGES[0];

type Transition = { readonly state: SessionState; readonly effects: readonly SessionEffect[] };
type Refusal = { readonly refused: SessionRejection["code"] };
type Handled = Transition | Refusal;

/** Steps of a running session, holding it in `session`. */
type SessionStepState = Extract<SessionState, { session: ActiveSession }>;

const FACE_OUTCOMES: readonly unknown[] = ["matched", "not-matched", "not-live", "chip-unusable", "timed-out", "cancelled"] satisfies FaceAttemptResult["outcome"][];
const KNOWN_REJECTIONS: readonly unknown[] = CARD_REJECTIONS;

const EVENT_CHECKS: Readonly<Record<SessionEvent["type"], (e: Record<string, unknown>) => boolean>> = {
  "start": () => true,
  "touch": () => true,
  "set-language": (e) => isLanguage(e["language"]),
  "choose-language": (e) => isLanguage(e["language"]),
  "consent": (e) => typeof e["agree"] === "boolean",
  "retry-face": () => true,
  "ask-for-staff": () => true,
  "toggle-matter": (e) => typeof e["matterId"] === "string" && typeof e["confirmed"] === "boolean",
  "confirm-matters": () => true,
  "signed": () => true,
  "start-over": () => true,
  "done": () => true,
  "card-inserted": () => true,
  "card-read": (e) => isRecord(e["card"]) && typeof e["card"]["idNumber"] === "string" && Array.isArray(e["rejections"]) && e["rejections"].every((r) => KNOWN_REJECTIONS.includes(r)),
  "card-read-failed": (e) => e["reason"] === "read-failed" || e["reason"] === "unsupported-card",
  "card-removed": () => true,
  "face-update": (e) => Number.isInteger(e["attempt"]) && isRecord(e["update"]) && (e["update"]["type"] === "guidance" || e["update"]["type"] === "challenge"),
  "face-outcome": (e) => Number.isInteger(e["attempt"]) && isRecord(e["result"]) && FACE_OUTCOMES.includes(e["result"]["outcome"]) && typeof e["model"] === "string",
  "matters-loaded": (e) => typeof e["sessionId"] === "string" && Array.isArray(e["matters"]) && e["matters"].every((m) => isRecord(m) && typeof m["matterId"] === "string" && Array.isArray(m["roles"])),
  "result-saved": (e) => typeof e["sessionId"] === "string",
  "device-status": (e) => (SESSION_DEVICES as readonly unknown[]).includes(e["device"]) && typeof e["ok"] === "boolean",
  "tick": () => true,
};

/**
 * The verification session machine. Stateless itself: the caller keeps the
 * {@linkcode SessionState} and passes it to each {@linkcode step}.
 *
 * @example
 * ```ts
 * const machine = new VerificationSession({ random: Math.random, newSessionId: () => crypto.randomUUID() });
 * let state = machine.initial();
 * const { state: next, effects, rejection } = machine.step(state, { type: "start" }, clock.now());
 * ```
 */
export class VerificationSession {
  readonly #settings: SessionSettings;
  readonly #random: () => number;
  readonly #newSessionId: () => string;

  /** @throws {RangeError} when `deps.settings` are invalid (see {@linkcode checkSessionSettings}). */
  constructor(deps: VerificationSessionDeps) {
    this.#settings = checkSessionSettings(deps.settings ?? DEFAULT_SESSION_SETTINGS);
    this.#random = deps.random;
    this.#newSessionId = deps.newSessionId;
  }

  /** The settings in force. */
  get settings(): SessionSettings {
    return this.#settings;
  }

  /** The state at boot: idle, no fault known yet. */
  initial(): SessionState {
    return { step: "idle", language: DEFAULT_LANGUAGE, faults: [], timer: null };
  }

  /**
   * Applies `event` at `nowMs` (kiosk clock, epoch ms). A countdown that ran
   * out before `nowMs` is applied first, so an event arriving late meets
   * the state the timeout left. Never throws on a bad event: it comes back
   * as a `rejection`, with the state unchanged by the event.
   */
  step(state: SessionState, event: SessionEvent, nowMs: number): StepResult {
    const expired = state.timer !== null && timerPhase(state.timer, nowMs) === "expired" ? this.#timeout(state, nowMs) : undefined;
    const current = expired?.state ?? state;
    const before = expired?.effects ?? [];
    if (!isSessionEvent(event)) return refused(current, before, "invalid-event", event);
    if (event.type === "tick") return { ...this.#tick(current, before, nowMs), rejection: null };
    const handled = this.#handle(current, event, nowMs);
    if ("refused" in handled) return refused(current, before, handled.refused, event);
    return { state: handled.state, effects: [...before, ...handled.effects], rejection: null };
  }

  #tick(state: SessionState, before: readonly SessionEffect[], nowMs: number): Transition {
    const timer = state.timer;
    if (timer === null || timer.warned || timerPhase(timer, nowMs) !== "warning") return { state, effects: before };
    return { state: { ...state, timer: { ...timer, warned: true } }, effects: [...before, this.#prompt("timeout-warning", state.language)] };
  }

  #handle(state: SessionState, event: Exclude<SessionEvent, { type: "tick" }>, nowMs: number): Handled {
    switch (event.type) {
      case "device-status":
        return this.#deviceStatus(state, event.device, event.ok, nowMs);
      case "set-language": {
        const next = this.#restart({ ...state, language: event.language }, nowMs);
        const prompt = stepPrompt(next);
        return { state: next, effects: prompt ? [this.#prompt(prompt, event.language)] : [] };
      }
      case "touch":
        if (state.timer === null || BUSY_STEPS.has(state.step)) return { refused: "not-in-step" };
        return { state: this.#restart(state, nowMs), effects: [] };
    }
    switch (state.step) {
      case "idle":
        if (event.type !== "start" && event.type !== "card-inserted") return { refused: "not-in-step" };
        return this.#enter({ step: "language", language: state.language, faults: state.faults, session: { sessionId: this.#newSessionId(), startedAtMs: nowMs, attempts: [] } }, nowMs);
      case "out-of-service":
        return { refused: "not-in-step" };
      case "saving":
        if (event.type !== "result-saved") return { refused: "not-in-step" };
        if (event.sessionId !== state.sessionId) return { refused: "stale" };
        return this.#enter({ ...state, step: "result" }, nowMs);
      case "result":
        if (event.type !== "done" && event.type !== "start-over") return { refused: "not-in-step" };
        return { state: idle(state), effects: [] };
    }
    if (event.type === "start-over") return this.#abandon(state, nowMs);
    if (event.type === "card-removed" && CARD_HELD_STEPS.has(state.step)) return this.#abandon(state, nowMs);
    return this.#sessionEvent(state, event, nowMs);
  }

  #sessionEvent(state: SessionStepState, event: Exclude<SessionEvent, { type: "tick" | "device-status" | "set-language" | "touch" }>, nowMs: number): Handled {
    const { session, language } = state;
    switch (state.step) {
      case "language":
        if (event.type !== "choose-language") return { refused: "not-in-step" };
        return this.#enter({ step: "consent", language: event.language, faults: state.faults, session }, nowMs);
      case "consent":
        if (event.type !== "consent") return { refused: "not-in-step" };
        if (!event.agree) return this.#finish(state, session, { outcome: "declined", referralCode: this.#referral(), cardRejections: [], attemptFailures: [] }, [], nowMs);
        return this.#enter({ step: "place-card", language, faults: state.faults, session, notice: null }, nowMs, [{ type: "start-card-reading" }]);
      case "place-card":
      case "reading":
        return this.#cardEvent(state, event, nowMs);
      case "face":
        return this.#faceEvent(state, event, nowMs);
      case "face-retry":
        if (event.type === "retry-face") return this.#startAttempt(state, state.session, state.session.attempts.length + 1, nowMs);
        if (event.type === "ask-for-staff") return this.#finish(state, state.session, this.#faceReferral(state.session), [], nowMs);
        return { refused: "not-in-step" };
      case "matters":
        return this.#mattersEvent(state, event, nowMs);
      case "signature":
        if (event.type !== "signed") return { refused: "not-in-step" };
        return this.#finish(state, state.session, sessionEnding(state.session, "verified", null), state.confirmed, nowMs, nowMs);
    }
  }

  #cardEvent(state: Extract<SessionState, { step: "place-card" | "reading" }>, event: SessionEvent, nowMs: number): Handled {
    const { session, language, faults } = state;
    switch (event.type) {
      case "card-inserted":
        if (state.step !== "place-card") return { refused: "not-in-step" };
        return this.#enter({ step: "reading", language, faults, session }, nowMs);
      case "card-removed":
        // The card left before it was read: a failed read, not an ending.
        if (state.step !== "reading") return { refused: "not-in-step" };
        return this.#enter({ step: "place-card", language, faults, session, notice: "card-removed-early" }, nowMs);
      case "card-read-failed":
        if (event.reason === "read-failed") return this.#enter({ step: "place-card", language, faults, session, notice: "read-failed" }, nowMs);
        return this.#cardRejected(state, session, ["unsupported-card"], nowMs);
      case "card-read": {
        const withCard: CardSession = { ...session, card: event.card };
        if (event.rejections.length > 0) return this.#cardRejected(state, withCard, event.rejections, nowMs);
        return this.#startAttempt(state, withCard, 1, nowMs, [{ type: "stop-card-reading" }]);
      }
      default:
        return { refused: "not-in-step" };
    }
  }

  #faceEvent(state: Extract<SessionState, { step: "face" }>, event: SessionEvent, nowMs: number): Handled {
    if (event.type !== "face-update" && event.type !== "face-outcome") return { refused: "not-in-step" };
    if (event.attempt !== state.attempt) return { refused: "stale" };
    if (event.type === "face-update") {
      const update = event.update;
      if (update.type === "guidance") {
        const speak =
          update.code !== null && update.code !== state.guidance && (state.guidancePromptAtMs === null || nowMs - state.guidancePromptAtMs >= this.#settings.guidancePromptGapMs);
        const next = { ...state, guidance: update.code, guidancePromptAtMs: speak ? nowMs : state.guidancePromptAtMs };
        return { state: next, effects: speak && update.code !== null ? [this.#prompt(`guidance-${update.code}`, state.language)] : [] };
      }
      if (update.action === undefined) return { state: { ...state, challenge: null }, effects: [] };
      const changed = state.challenge?.action !== update.action || state.challenge.step !== update.step;
      const next = { ...state, challenge: { action: update.action, step: update.step, of: update.of } };
      return { state: next, effects: changed ? [this.#prompt(`challenge-${update.action}`, state.language)] : [] };
    }
    const { result } = event;
    if (result.outcome === "cancelled") return { refused: "stale" };
    if (result.outcome === "chip-unusable") return this.#cardRejected(state, state.session, ["photo-no-face"], nowMs);
    const face = faceEvidence(result, event.model);
    const reason = attemptFailure(result);
    if (reason === null) {
      const session: CardSession = { ...state.session, ...(face ? { face } : {}) };
      return this.#enter({ step: "matters", language: state.language, faults: state.faults, session, matters: null, confirmed: [] }, nowMs, [
        { type: "load-matters", sessionId: session.sessionId, cardNumber: session.card.idNumber },
      ]);
    }
    const session: CardSession = { ...state.session, attempts: [...state.session.attempts, { attempt: state.attempt, reason }], ...(face ? { face } : {}) };
    if (state.attempt >= state.maxAttempts) return this.#finish(state, session, this.#faceReferral(session), [], nowMs);
    return this.#enter({ step: "face-retry", language: state.language, faults: state.faults, session, maxAttempts: state.maxAttempts, reason }, nowMs);
  }

  #mattersEvent(state: Extract<SessionState, { step: "matters" }>, event: SessionEvent, nowMs: number): Handled {
    const { session } = state;
    if (event.type === "matters-loaded") {
      if (event.sessionId !== session.sessionId) return { refused: "stale" };
      if (state.matters !== null) return { refused: "not-in-step" };
      if (event.matters.length === 0) return this.#finish(state, session, sessionEnding(session, "no-pending-matter", null), [], nowMs);
      return { state: { ...state, matters: event.matters }, effects: [] };
    }
    const matters = state.matters;
    if (matters === null) return { refused: "not-in-step" };
    switch (event.type) {
      case "toggle-matter": {
        if (!matters.some((m) => m.matterId === event.matterId)) return { refused: "unknown-matter" };
        const others = state.confirmed.filter((id) => id !== event.matterId);
        return { state: { ...this.#restart(state, nowMs), confirmed: event.confirmed ? [...others, event.matterId] : others }, effects: [] };
      }
      case "confirm-matters": {
        if (state.confirmed.length === 0) return { refused: "nothing-confirmed" };
        const confirmed: ConfirmedMatter[] = matters.filter((m) => state.confirmed.includes(m.matterId)).flatMap((m) => m.roles.map((role) => ({ matterId: m.matterId, role })));
        return this.#enter({ step: "signature", language: state.language, faults: state.faults, session, confirmed }, nowMs);
      }
      case "ask-for-staff":
        // None of the listed matters is the applicant's: a staff window must look at it.
        return this.#finish(state, session, sessionEnding(session, "no-pending-matter", this.#referral()), [], nowMs);
      default:
        return { refused: "not-in-step" };
    }
  }

  #deviceStatus(state: SessionState, device: SessionDevice, ok: boolean, nowMs: number): Transition {
    if (ok) {
      if (!state.faults.includes(device)) return { state, effects: [] };
      const faults = state.faults.filter((d) => d !== device);
      if (state.step === "out-of-service" && faults.length === 0) return { state: { step: "idle", language: DEFAULT_LANGUAGE, faults, timer: null }, effects: [] };
      return { state: { ...state, faults }, effects: [] };
    }
    if (state.faults.includes(device)) return { state, effects: [] };
    return this.#outOfService(state, [...state.faults, device], nowMs);
  }

  /** Ends whatever runs (as `abandoned`, with a result once the card was read) and goes out of service. */
  #outOfService(state: SessionState, faults: readonly SessionDevice[], nowMs: number): Transition {
    const ended = "session" in state ? this.#abandon(state, nowMs).effects : [];
    return { state: { step: "out-of-service", language: DEFAULT_LANGUAGE, faults, timer: null }, effects: [...ended, this.#prompt("out-of-service", DEFAULT_LANGUAGE)] };
  }

  #timeout(state: SessionState, nowMs: number): Transition {
    switch (state.step) {
      case "idle":
      case "out-of-service":
        return { state, effects: [] };
      case "result":
        return { state: idle(state), effects: [] };
      case "saving":
        // The commit never answered: the store is taken as refusing results.
        return this.#outOfService(state, state.faults.includes("storage") ? state.faults : [...state.faults, "storage"], nowMs);
      default:
        return this.#abandon(state, nowMs);
    }
  }

  /** Ends a running session as `abandoned`: a saved result once the card was read, else none. */
  #abandon(state: SessionStepState, nowMs: number): Transition {
    const { session } = state;
    const save: SessionEffect[] = session.card
      ? [{ type: "save-result", draft: resultDraft(session, { ending: sessionEnding(session, "abandoned", null), language: state.language, matters: [], completedAtMs: nowMs }) }]
      : [];
    return { state: idle(state), effects: [...release(state), ...save, { type: "wipe-session", sessionId: session.sessionId }] };
  }

  /** Ends a running session with `ending`: its result is saved, then shown. */
  #finish(state: SessionStepState, session: ActiveSession, ending: SessionEnding, matters: readonly ConfirmedMatter[], nowMs: number, signedAtMs?: number): Transition {
    const draft = resultDraft(session, { ending, language: state.language, matters, completedAtMs: nowMs, ...(signedAtMs !== undefined ? { signedAtMs } : {}) });
    const effects: SessionEffect[] = [...release(state), { type: "save-result", draft }, { type: "wipe-session", sessionId: session.sessionId }];
    return this.#enter({ step: "saving", language: state.language, faults: state.faults, sessionId: session.sessionId, ending }, nowMs, effects);
  }

  #cardRejected(state: SessionStepState, session: ActiveSession, rejections: readonly CardRejection[], nowMs: number): Transition {
    return this.#finish(state, session, { outcome: "card-rejected", referralCode: this.#referral(), cardRejections: [...rejections], attemptFailures: [] }, [], nowMs);
  }

  #faceReferral(session: CardSession): SessionEnding {
    return sessionEnding(session, failedFaceOutcome(session.attempts), this.#referral());
  }

  #startAttempt(state: SessionStepState, session: CardSession, attempt: number, nowMs: number, before: readonly SessionEffect[] = []): Transition {
    return this.#enter(
      { step: "face", language: state.language, faults: state.faults, session, attempt, maxAttempts: this.#settings.maxAttempts, guidance: null, challenge: null, guidancePromptAtMs: null },
      nowMs,
      [...before, { type: "start-face-capture", sessionId: session.sessionId, attempt }],
    );
  }

  /** Enters a step: its countdown starts and its prompt plays after `effects`. */
  #enter(next: DistributiveOmit<SessionState, "timer">, nowMs: number, effects: readonly SessionEffect[] = []): Transition {
    const state = { ...next, timer: timedStep(next.step) ? startTimer(this.#settings.timeouts[next.step], nowMs) : null } as SessionState;
    const prompt = stepPrompt(state);
    return { state, effects: prompt ? [...effects, this.#prompt(prompt, state.language)] : effects };
  }

  /** Restarts the countdown of an applicant's step after activity; busy steps keep their watchdog. */
  #restart<S extends SessionState>(state: S, nowMs: number): S {
    if (state.timer === null || BUSY_STEPS.has(state.step) || !timedStep(state.step)) return state;
    return { ...state, timer: startTimer(this.#settings.timeouts[state.step], nowMs) };
  }

  #referral(): string {
    return referralCode(this.#random);
  }

  #prompt(prompt: SessionPromptKey, language: SessionLanguage): SessionEffect {
    return { type: "play-prompt", prompt, language };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

function timedStep(step: SessionStep): step is TimedStep {
  return step !== "idle" && step !== "out-of-service";
}

function idle(state: SessionState): SessionState {
  return { step: "idle", language: DEFAULT_LANGUAGE, faults: state.faults, timer: null };
}

/** The devices to let go of when a session ends on `state`. */
function release(state: SessionState): SessionEffect[] {
  if (state.step === "place-card" || state.step === "reading") return [{ type: "stop-card-reading" }];
  if (state.step === "face") return [{ type: "stop-face-capture" }];
  return [];
}

/**
 * The voice prompt of a screen, or null for screens without one. A screen
 * that says why it is shown speaks the reason: a failed read, a failed
 * attempt, a refused card (its first rejection).
 */
function stepPrompt(state: SessionState): SessionPromptKey | null {
  switch (state.step) {
    case "idle":
    case "saving":
      return null;
    case "place-card":
      return state.notice === null ? "place-card" : `place-card-${state.notice}`;
    case "face-retry":
      return `attempt-${state.reason}`;
    case "result": {
      const rejection = state.ending.cardRejections[0];
      return rejection === undefined ? `result-${resultKind(state.ending)}` : `card-${rejection}`;
    }
    default:
      return state.step;
  }
}

function refused(state: SessionState, effects: readonly SessionEffect[], code: SessionRejection["code"], event: unknown): StepResult {
  const type = isRecord(event) && typeof event["type"] === "string" ? event["type"] : typeof event;
  return { state, effects, rejection: { code, event: type, step: state.step, message: `Event "${type}" refused on step "${state.step}": ${SESSION_REJECTIONS[code]}` } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isLanguage(value: unknown): boolean {
  return (SESSION_LANGUAGES as readonly unknown[]).includes(value);
}

function isSessionEvent(event: unknown): event is SessionEvent {
  if (!isRecord(event) || typeof event["type"] !== "string" || !Object.hasOwn(EVENT_CHECKS, event["type"])) return false;
  return EVENT_CHECKS[event["type"] as SessionEvent["type"]](event);
}
