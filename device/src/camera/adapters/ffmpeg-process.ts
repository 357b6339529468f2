/**
 * One ffmpeg child process writing to a pipe: spawn it, read its stdout,
 * keep the end of its stderr for error messages, kill it. Shared by the
 * capture and replay adapters.
 */
import { KioskError } from "@kiosk/contracts";

/** The program name looked up on `PATH` when no path is configured. */
export const DEFAULT_FFMPEG_PATH = "ffmpeg";

/** The Debian package line a technician runs when ffmpeg is missing. */
export const FFMPEG_INSTALL_HINT = "sudo apt-get install --no-install-recommends ffmpeg";

// ffmpeg prints one line per error at -loglevel error; the last few hundred
// bytes hold the line that explains an exit.
const STDERR_TAIL_BYTES = 1024;

/** How an ffmpeg process ended. */
export interface FfmpegExit {
  /** Exit code, or `null` when a signal ended it. */
  readonly code: number | null;
  /** The signal that ended it, such as `SIGKILL`, or `null`. */
  readonly signal: string | null;
  /** The last line ffmpeg wrote to stderr, or "" (no personal data: ffmpeg reports devices and codecs). */
  readonly lastError: string;
}

/** A running ffmpeg. */
export interface FfmpegProcess {
  readonly pid: number;
  /** Everything ffmpeg writes to stdout. */
  readonly stdout: ReadableStream<Uint8Array>;
  /** Resolves when the process has ended and been reaped. */
  readonly exited: Promise<FfmpegExit>;
  /** Ends the process at once (SIGKILL); safe to call after it ended. */
  kill(): void;
}

/**
 * The error for a missing or non-executable ffmpeg.
 */
export function missingFfmpegError(ffmpegPath: string, cause?: unknown): KioskError {
  return new KioskError("missing-dependency", `Cannot run ffmpeg "${ffmpegPath}": it is not installed or not executable; install it with "${FFMPEG_INSTALL_HINT}"`, {
    ...(cause === undefined ? {} : { cause }),
    details: { program: ffmpegPath, install: FFMPEG_INSTALL_HINT },
  });
}

/**
 * Checks that `ffmpegPath` (a name on `PATH` or a path) is an executable.
 * @throws {KioskError} `missing-dependency` with the apt-get line when it is not.
 */
export function assertFfmpegAvailable(ffmpegPath: string): void {
  if (Bun.which(ffmpegPath) === null) throw missingFfmpegError(ffmpegPath);
}

/**
 * Starts `ffmpegPath` with `args`, stdin closed, stdout piped.
 *
 * Stopping uses SIGKILL: the output is a pipe of whole images with no
 * trailer to finish, the kernel releases the V4L2 device when the process
 * dies, and a SIGTERM would stay pending on a process stuck or stopped.
 *
 * @throws {KioskError} `missing-dependency` when the program does not exist or cannot be executed.
 */
export function spawnFfmpeg(ffmpegPath: string, args: readonly string[]): FfmpegProcess {
  let child: Bun.Subprocess<"ignore", "pipe", "pipe">;
  try {
    child = Bun.spawn([ffmpegPath, ...args], { stdin: "ignore", stdout: "pipe", stderr: "pipe" });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EACCES") throw missingFfmpegError(ffmpegPath, error);
    throw error;
  }
  const stderr = readTail(child.stderr);
  const exited = Promise.all([child.exited, stderr]).then(([, tail]) => ({
    code: child.signalCode === null ? child.exitCode : null,
    signal: child.signalCode === null ? null : String(child.signalCode),
    lastError: lastLine(tail),
  }));
  return {
    pid: child.pid,
    stdout: child.stdout,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

/** Describes an exit for an error message: `exited with code 1: "…"` or `was killed by SIGKILL`. */
export function describeExit(exit: FfmpegExit): string {
  const how = exit.signal === null ? `exited with code ${exit.code ?? "unknown"}` : `was killed by ${exit.signal}`;
  return exit.lastError === "" ? how : `${how}: ${exit.lastError}`;
}

/** Reads `stream` to its end, keeping only its last bytes. */
async function readTail(stream: ReadableStream<Uint8Array>): Promise<string> {
  let tail = new Uint8Array(0);
  for await (const chunk of stream) {
    const joined = new Uint8Array(tail.length + chunk.length);
    joined.set(tail);
    joined.set(chunk, tail.length);
    tail = joined.length > STDERR_TAIL_BYTES ? joined.slice(joined.length - STDERR_TAIL_BYTES) : joined;
  }
  return new TextDecoder().decode(tail);
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  return (lines.at(-1) ?? "").trim().slice(0, 200);
}
