/**
 * What a command may touch of its process: output streams, the environment
 * and the working directory. Commands receive it instead of reaching for
 * `process`, so they can be run and checked in tests.
 */
export interface CliIo {
  /** Writes to standard output; the caller adds newlines. */
  out(text: string): void;
  /** Writes to standard error; the caller adds newlines. */
  err(text: string): void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Fires when the user asks the process to stop (Ctrl-C, SIGTERM). */
  readonly signal: AbortSignal;
}

/** Exit codes shared by all subcommands. */
export const EXIT = {
  ok: 0,
  /** The command ran and failed (tests failed, a service crashed). */
  failure: 1,
  /** Bad usage or bad input (unknown flag, undecodable frame). */
  usage: 2,
} as const;
