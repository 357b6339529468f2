/**
 * Time as a port. Services read the time and schedule work only through a
 * `Clock`, so tests can drive time with `FakeClock` instead of sleeping.
 */

/** Opaque handle of a scheduled callback. */
export type TimerId = { readonly __timer: unique symbol };

/** The source of time and timers. */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Calls `fn` once after `delayMs` milliseconds. */
  setTimeout(fn: () => void, delayMs: number): TimerId;
  /** Cancels a callback scheduled with {@linkcode Clock.setTimeout}; unknown ids are ignored. */
  clearTimeout(id: TimerId): void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs) as unknown as TimerId,
  clearTimeout: (id) => clearTimeout(id as unknown as ReturnType<typeof setTimeout>),
};

/**
 * Resolves after `delayMs` on `clock`, or rejects with the signal's reason
 * when `signal` aborts first.
 */
export function sleep(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(id);
      reject(signal?.reason);
    };
    const id = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
