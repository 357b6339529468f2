/**
 * How long a camera waits before each reconnect attempt: exponential
 * back-off with a cap. Pure: the camera schedules the wait on its `Clock`.
 *
 * There is no jitter: jitter spreads many clients hitting one server, and here
 * one kiosk retries its own USB device.
 */

/** Parameters of the reconnect back-off. */
export interface BackoffPolicy {
  /** Wait before the first attempt, in ms. */
  readonly initialDelayMs: number;
  /** Growth per attempt; at least 1. */
  readonly factor: number;
  /** Longest wait, in ms. */
  readonly maxDelayMs: number;
}

/**
 * Default camera back-off: 0.5 s, 1 s, 2 s … capped at 10 s. A USB camera
 * that re-enumerates is back within 1–2 s; the cap keeps a kiosk whose camera
 * was replugged minutes later from waiting long, and a failed attempt costs
 * one short ffmpeg start.
 */
export const DEFAULT_RECONNECT_BACKOFF: BackoffPolicy = Object.freeze({
  initialDelayMs: 500,
  factor: 2,
  maxDelayMs: 10_000,
});

/**
 * The wait before reconnect attempt `attempt` (1-based), in ms:
 * `min(initialDelayMs × factor^(attempt − 1), maxDelayMs)`.
 *
 * @throws {RangeError} when `attempt` is not a positive integer.
 *
 * @example
 * ```ts
 * reconnectDelayMs(1); // 500
 * reconnectDelayMs(4); // 4000
 * reconnectDelayMs(9); // 10000
 * ```
 */
export function reconnectDelayMs(attempt: number, policy: BackoffPolicy = DEFAULT_RECONNECT_BACKOFF): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`Invalid reconnect attempt "${attempt}": expected an integer of 1 or more`);
  }
  return Math.min(policy.initialDelayMs * policy.factor ** (attempt - 1), policy.maxDelayMs);
}

/**
 * Checks a back-off policy.
 *
 * @throws {RangeError} when a delay is negative or not finite, `factor` is
 *   below 1, or `maxDelayMs` is below `initialDelayMs`.
 */
export function assertBackoffPolicy(policy: BackoffPolicy): void {
  const { initialDelayMs, factor, maxDelayMs } = policy;
  if (!Number.isFinite(initialDelayMs) || initialDelayMs < 0) {
    throw new RangeError(`Invalid initialDelayMs "${initialDelayMs}": expected a finite number of ms, 0 or more`);
  }
  if (!Number.isFinite(factor) || factor < 1) {
    throw new RangeError(`Invalid back-off factor "${factor}": expected a finite number of 1 or more`);
  }
  if (!Number.isFinite(maxDelayMs) || maxDelayMs < initialDelayMs) {
    throw new RangeError(`Invalid maxDelayMs "${maxDelayMs}": expected a finite number of ms, at least initialDelayMs (${initialDelayMs})`);
  }
}
