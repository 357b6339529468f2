/**
 * The one table of reply timeouts for the reader session (STYLE §1.4): how
 * long the session waits for the reply to each command before it treats the
 * command as unanswered, flushes the partial input and retries or restarts
 * from find (spec §3.1).
 */
import type { CommandName } from "./protocol/constants.ts";

/** Reply timeout of each command, in ms. */
export type CommandTimeouts = Readonly<Record<CommandName, number>>;

/**
 * Default timeouts. The spec's recommended values (spec §3.1, "my
 * synthesis", unverified): find/select 500 ms, read 3 s, read with
 * fingerprints 4 s, appended address 1.5 s. The A905Reader uses 300 ms for the
 * SAM ID (spec §3.1); the other short SAM commands get the same. They leave
 * room for the slowest UART: a 1295-byte reply takes ≈1.35 s at 9600 baud
 * (spec §1.1).
 */
export const DEFAULT_COMMAND_TIMEOUTS_MS = {
  // No source gives a reset time; a SAM reset re-runs its self-test, so it gets more than a status query.
  resetSam: 1000,
  samStatus: 300,
  readSamId: 300,
  findCard: 500,
  selectCard: 500,
  readBase: 3000,
  readAppendedAddress: 1500,
  readBaseWithFingerprint: 4000,
  setMaxRfBytes: 300,
} as const satisfies CommandTimeouts;

/**
 * The default table with `overrides` applied.
 *
 * @throws {RangeError} when an override is not a positive finite number of ms.
 * @example
 * ```ts
 * commandTimeouts({ readBase: 5000 }).readBase; // 5000
 * ```
 */
export function commandTimeouts(overrides: Partial<CommandTimeouts> = {}): CommandTimeouts {
  const table: Record<string, number> = { ...DEFAULT_COMMAND_TIMEOUTS_MS };
  for (const [name, timeoutMs] of Object.entries(overrides)) {
    if (!Object.hasOwn(DEFAULT_COMMAND_TIMEOUTS_MS, name)) throw new RangeError(`Unknown command "${name}" in the timeout overrides`);
    if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new RangeError(`Invalid timeout "${String(timeoutMs)}" for command "${name}": expected a positive number of ms`);
    }
    table[name] = timeoutMs;
  }
  return Object.freeze(table) as CommandTimeouts;
}
