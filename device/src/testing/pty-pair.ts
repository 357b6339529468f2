/**
 * A pair of connected kernel pseudo-terminals made by `socat`, so serial code
 * can be tested against real tty devices (termios, non-blocking reads,
 * hangup) without hardware. Bytes written to one end come out of the other.
 *
 * The implementation is the production helper `startPtyLink` (the reader
 * simulator's CLI needs it too, and production code may not import test
 * helpers); this module keeps the test-facing names.
 */
import { startPtyLink, type PtyLink, type PtyLinkOptions } from "../idcard/simulator/adapters/pty-link.ts";

/** Two linked pseudo-terminals; see {@linkcode startPtyPair}. */
export type PtyPair = PtyLink;

/** Options for {@linkcode startPtyPair}. */
export type PtyPairOptions = Pick<PtyLinkOptions, "socatPath" | "startTimeoutMs">;

/**
 * Starts socat with two ptys linked in a new temporary directory and resolves
 * once both links exist.
 *
 * @throws {Error} when socat is not installed, exits early, or does not become
 *   ready within `startTimeoutMs`; the message says which.
 *
 * @example
 * ```ts
 * await using pair = await startPtyPair();
 * const transport = new SerialTransport({ path: pair.pathA });
 * ```
 */
export function startPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  return startPtyLink(options);
}
