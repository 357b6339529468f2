/** Countdown maths of the idle timeout banner. No DOM here. */

/**
 * Whole seconds left of a countdown that had `secondsLeft` when it arrived
 * at `receivedAtMs`, at `nowMs`; never below zero.
 */
export function secondsLeftAt(secondsLeft: number, receivedAtMs: number, nowMs: number): number {
  return Math.max(0, secondsLeft - Math.floor(Math.max(0, nowMs - receivedAtMs) / 1_000));
}

/** Milliseconds from `nowMs` to the next whole-second tick of a countdown received at `receivedAtMs`. */
export function msToNextTick(receivedAtMs: number, nowMs: number): number {
  return 1_000 - (Math.max(0, nowMs - receivedAtMs) % 1_000);
}
