import type { CliIo } from "./io.ts";

/** A subcommand of `./kiosk`, loaded only when it runs. */
export interface CommandEntry {
  /** Words that select the command, such as `["idcard", "decode"]`. */
  readonly words: readonly string[];
  /** Arguments shown after the words in help, such as `FILE`. */
  readonly args: string;
  /** One line for `./kiosk help`. */
  readonly summary: string;
  readonly load: () => Promise<{ run: CommandRun }>;
}

/** Runs a command with the arguments after its words; resolves to the exit code. */
export type CommandRun = (args: string[], io: CliIo) => Promise<number>;
