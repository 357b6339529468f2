/**
 * The idle countdown of a session step: when its warning starts, when it
 * times out, and when the shell should next send a `tick`. Pure: the time is
 * passed in (kiosk clock, epoch ms).
 */
import type { StepTimeout } from "./verification-session-settings.ts";
import type { SessionState, StepTimer } from "./verification-session-types.ts";

/** A countdown starting at `nowMs`: a step entered, or its countdown restarted by a touch. */
export function startTimer(timeout: StepTimeout, nowMs: number): StepTimer {
  const warningAtMs = nowMs + timeout.idleMs;
  return { warningAtMs, deadlineAtMs: warningAtMs + timeout.warningMs, warned: false };
}

/** Where a countdown stands at `nowMs`. */
export function timerPhase(timer: StepTimer, nowMs: number): "running" | "warning" | "expired" {
  if (nowMs >= timer.deadlineAtMs) return "expired";
  return nowMs >= timer.warningAtMs ? "warning" : "running";
}

/**
 * When the shell should send the next `tick` for `state`: the start of the
 * warning (for its voice prompt) until it was played, then the deadline;
 * null when the step has no countdown.
 *
 * @example
 * ```ts
 * const at = nextTimerAtMs(state);
 * if (at !== null) timer = clock.setTimeout(() => send({ type: "tick" }), Math.max(0, at - clock.now()));
 * ```
 */
export function nextTimerAtMs(state: SessionState): number | null {
  const timer = state.timer;
  if (timer === null) return null;
  return !timer.warned && timer.warningAtMs < timer.deadlineAtMs ? timer.warningAtMs : timer.deadlineAtMs;
}

/** Whole seconds left until the deadline, rounded up, never negative. */
export function secondsLeft(timer: StepTimer, nowMs: number): number {
  return Math.max(0, Math.ceil((timer.deadlineAtMs - nowMs) / 1000));
}
