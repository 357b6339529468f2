/**
 * Retry timing: exponential back-off with full jitter (AWS "Exponential
 * Backoff and Jitter"; sync.md §4.6), and central's `Retry-After`.
 */

/** Back-off settings. */
export interface BackoffPolicy {
  /** Delay cap of the first retry, in milliseconds. */
  readonly baseMs: number;
  /** Largest delay cap, in milliseconds. */
  readonly capMs: number;
}

/** Longest `Retry-After` honoured, so a wrong header cannot park the kiosk for days. */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/**
 * The delay before retry number `failures` (1 for the first retry): a
 * uniformly random value in [0, min(cap, base·2^(failures-1))).
 *
 * @param random source of numbers in [0, 1), injectable for tests.
 */
export function fullJitterDelayMs(failures: number, policy: BackoffPolicy, random: () => number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.floor(Math.min(Math.max(random(), 0), 1) * ceiling);
}

/**
 * Milliseconds to wait according to a `Retry-After` value (seconds or an
 * HTTP date), capped at {@linkcode MAX_RETRY_AFTER_MS}; 0 when absent or unreadable.
 */
export function retryAfterMs(value: string | null, nowMs: number): number {
  if (value === null) return 0;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) ms = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    ms = Number.isNaN(at) ? 0 : at - nowMs;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
