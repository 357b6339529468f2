/**
 * A deadline helper for tests that wait on real I/O (a pty, a child
 * process): it polls a condition instead of sleeping for a fixed time, so a
 * test finishes as soon as the bytes arrive and fails with a clear message
 * when they never do.
 */

/** Options for {@linkcode waitFor}. */
export interface WaitForOptions {
  /** Give up after this long; defaults to 2000 ms. */
  timeoutMs?: number;
  /** Time between checks; defaults to 2 ms. */
  intervalMs?: number;
  /** Describes what was awaited, for the timeout error; may be computed lazily to show the current state. */
  message?: string | (() => string);
}

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_INTERVAL_MS = 2;

/**
 * Resolves once `condition()` returns true, checking at once and then every
 * `intervalMs`.
 *
 * @throws {Error} when the condition is still false after `timeoutMs`.
 *
 * @example
 * ```ts
 * await waitFor(() => received.length >= 1300, { message: () => `got ${received.length} bytes` });
 * ```
 */
export async function waitFor(condition: () => boolean, options: WaitForOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() >= deadline) {
      const detail = typeof options.message === "function" ? options.message() : options.message;
      throw new Error(`Condition not met within ${timeoutMs} ms${detail === undefined ? "" : `: ${detail}`}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
