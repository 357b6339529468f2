/**
 * The view of a session: exactly what the UI renders, as the contract's
 * {@linkcode SessionView} (parsed by the UI with `sessionViewSchema`). It
 * shows the ID number masked and nothing else of the card's holder.
 */
import { SESSION_PHASES, type SessionPhase, type SessionStep, type SessionView } from "@kiosk/contracts";
import { resultKind } from "./verification-session-outcome.ts";
import { BUSY_STEPS } from "./verification-session-settings.ts";
import { secondsLeft, timerPhase } from "./verification-session-timeouts.ts";
import type { CardSession, SessionState } from "./verification-session-types.ts";

const PHASES = Object.keys(SESSION_PHASES) as SessionPhase[];
/** Characters kept at each end of a masked ID number. */
const MASK_KEEP = 4;
/** The mask between them: always 8 asterisks, so the number's length does not show either. */
const MASK = "********";
/** Shorter numbers are masked whole: keeping 4 + 4 would hide fewer than 4 characters. */
const MIN_MASKABLE_LENGTH = 12;

/**
 * Masks an ID number for display: its first 4 characters, 8 asterisks and
 * its last 4 (GB/T 35273 display minimisation). A number too short to keep
 * 8 characters hidden is masked whole.
 *
 * @example
 * ```ts
 * maskIdNumber("11010519491231002X"); // "1101********002X"
 * ```
 */
export function maskIdNumber(idNumber: string): string {
  if (idNumber.length < MIN_MASKABLE_LENGTH) return MASK;
  return `${idNumber.slice(0, MASK_KEEP)}${MASK}${idNumber.slice(-MASK_KEEP)}`;
}

/** The 1-based phase of the step indicator that `step` belongs to, or null. */
export function phaseIndex(step: SessionStep): number | null {
  const index = PHASES.findIndex((phase) => (SESSION_PHASES[phase] as readonly SessionStep[]).includes(step));
  return index === -1 ? null : index + 1;
}

/** Projects `state` at `nowMs` (kiosk clock) into what the UI renders. */
export function sessionView(state: SessionState, nowMs: number): SessionView {
  const timer = state.timer;
  const countdown = timer === null || BUSY_STEPS.has(state.step) ? null : { secondsLeft: secondsLeft(timer, nowMs), warning: timerPhase(timer, nowMs) !== "running" };
  const common = { language: state.language, phaseIndex: phaseIndex(state.step), phaseCount: PHASES.length, countdown };
  switch (state.step) {
    case "idle":
    case "language":
    case "consent":
    case "reading":
    case "saving":
      return { step: state.step, ...common };
    case "signature":
      return { step: "signature", ...common, card: cardView(state.session) };
    case "place-card":
      return { step: "place-card", ...common, notice: state.notice };
    case "face":
      return {
        step: "face",
        ...common,
        card: cardView(state.session),
        attempt: state.attempt,
        maxAttempts: state.maxAttempts,
        guidance: state.guidance,
        challenge: state.challenge,
      };
    case "face-retry":
      return { step: "face-retry", ...common, card: cardView(state.session), attempt: state.session.attempts.length, maxAttempts: state.maxAttempts, reason: state.reason };
    case "matters":
      return {
        step: "matters",
        ...common,
        card: cardView(state.session),
        matters: state.matters?.map((m) => ({ matterId: m.matterId, companyName: m.companyName, kind: m.kind, roles: [...m.roles], confirmed: state.confirmed.includes(m.matterId) })) ?? null,
        canContinue: state.confirmed.length > 0,
      };
    case "result":
      return {
        step: "result",
        ...common,
        kind: resultKind(state.ending),
        outcome: state.ending.outcome,
        referralCode: state.ending.referralCode,
        cardRejections: [...state.ending.cardRejections],
        attemptFailures: [...state.ending.attemptFailures],
      };
    case "out-of-service":
      return { step: "out-of-service", ...common, faults: [...state.faults] };
  }
}

function cardView(session: CardSession): { cardType: CardSession["card"]["cardType"]; maskedIdNumber: string } {
  return { cardType: session.card.cardType, maskedIdNumber: maskIdNumber(session.card.idNumber) };
}
