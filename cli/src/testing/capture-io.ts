/** A command's input and output for tests: what it printed, line by line as written. */
import { tmpdir } from "node:os";
import type { CliIo } from "../io.ts";

/** The io handed to a command, and what it wrote to standard output and standard error. */
export interface CapturedIo {
  readonly io: CliIo;
  readonly out: string[];
  readonly err: string[];
}

/** An io whose output is kept; `cwd` defaults to the temp folder, `env` to none. */
export function captureIo(options: { cwd?: string; env?: Readonly<Record<string, string | undefined>>; signal?: AbortSignal } = {}): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    env: options.env ?? {},
    cwd: options.cwd ?? tmpdir(),
    signal: options.signal ?? new AbortController().signal,
  };
  return { io, out, err };
}
