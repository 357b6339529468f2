/**
 * A pair of connected kernel pseudo-terminals made by `socat`: bytes written
 * to one end come out of the other, and each end behaves like a real serial
 * device (termios, non-blocking reads, hangup). The reader simulator serves
 * one end; the kiosk (or `./kiosk idcard read`) opens the other as if it
 * were `/dev/ttyUSB0`. Tests use the same helper through `startPtyPair`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Two linked pseudo-terminals; see {@linkcode startPtyLink}. */
export interface PtyLink {
  /** Symlink to the first pty, such as `/tmp/kiosk-pty-x/ttyA`; open it like `/dev/ttyUSB0`. */
  readonly pathA: string;
  /** Symlink to the second pty, connected to {@linkcode PtyLink.pathA}. */
  readonly pathB: string;
  /**
   * Kills socat with SIGKILL, as if the cable were pulled: both ptys hang up
   * and open file descriptors see end of file or `EIO`; the links are then
   * removed, as a device node disappears on unplug. Resolves once socat has
   * exited. Safe to call more than once.
   */
  kill(): Promise<void>;
  /** Stops socat (SIGTERM) if it still runs and removes the links and the temporary directory, if one was made. Safe to call more than once. */
  stop(): Promise<void>;
  /** Same as {@linkcode PtyLink.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options for {@linkcode startPtyLink}. */
export interface PtyLinkOptions {
  /** Where to put the first link; by default `ttyA` in a new temporary directory. */
  pathA?: string;
  /** Where to put the second link; by default `ttyB` in a new temporary directory. */
  pathB?: string;
  /** The socat executable; defaults to `socat` on `PATH`. */
  socatPath?: string;
  /** How long to wait for socat to create both ptys; defaults to 5000 ms. */
  startTimeoutMs?: number;
}

// socat -d -d logs this notice once both ptys (and their links) exist and it
// starts copying, so waiting for it avoids polling the file system.
const READY_NOTICE = "starting data transfer loop";
const DEFAULT_START_TIMEOUT_MS = 5000;

/**
 * Starts `socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B` and
 * resolves once both links exist. socat replaces an existing link at A or B.
 *
 * @throws {Error} when socat is not installed, exits early, or does not become
 *   ready within `startTimeoutMs`; the message says which.
 *
 * @example
 * ```ts
 * await using link = await startPtyLink();
 * const transport = new SerialTransport({ path: link.pathA });
 * ```
 */
export async function startPtyLink(options: PtyLinkOptions = {}): Promise<PtyLink> {
  const socatPath = options.socatPath ?? "socat";
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const dir = options.pathA !== undefined && options.pathB !== undefined ? undefined : await mkdtemp(join(tmpdir(), "kiosk-pty-"));
  const pathA = options.pathA ?? join(dir ?? tmpdir(), "ttyA");
  const pathB = options.pathB ?? join(dir ?? tmpdir(), "ttyB");
  const cleanUp = async (): Promise<void> => {
    await Promise.all([rm(pathA, { force: true }), rm(pathB, { force: true })]);
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  };

  let child: ChildProcess;
  try {
    child = spawn(socatPath, ["-d", "-d", `pty,raw,echo=0,link=${pathA}`, `pty,raw,echo=0,link=${pathB}`], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (error) {
    // Bun throws from spawn() when the executable is missing; Node emits 'error' later.
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    throw spawnError(socatPath, error as NodeJS.ErrnoException);
  }
  // A child that never started (missing program) emits 'error' and never 'exit'.
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });

  try {
    await waitUntilReady(child, socatPath, timeoutMs);
    if (!existsSync(pathA) || !existsSync(pathB)) {
      throw new Error(`socat reported ready but the pty links are missing: "${pathA}", "${pathB}"`);
    }
  } catch (error) {
    if (child.pid !== undefined) child.kill("SIGKILL");
    await exited;
    await cleanUp();
    throw error;
  }
  // Only the ready notice was needed; keep draining so socat never blocks on a full pipe.
  child.stderr?.resume();

  const killWith = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  let killed: Promise<void> | undefined;
  const kill = (): Promise<void> => {
    killed ??= (async () => {
      await killWith("SIGKILL");
      // SIGKILL leaves the links dangling; a later pty could reuse their targets.
      await Promise.all([rm(pathA, { force: true }), rm(pathB, { force: true })]);
    })();
    return killed;
  };
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      await killWith("SIGTERM");
      await cleanUp();
    })();
    return stopped;
  };

  return { pathA, pathB, kill, stop, [Symbol.asyncDispose]: stop };
}

function waitUntilReady(child: ChildProcess, socatPath: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = "";
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      child.stderr?.off("data", onData);
      child.off("error", onError);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer): void => {
      log += chunk.toString("utf8");
      if (log.includes(READY_NOTICE)) finish();
    };
    const onError = (error: NodeJS.ErrnoException): void => finish(spawnError(socatPath, error));
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish(new Error(`socat exited before the ptys were ready (code ${code ?? "none"}, signal ${signal ?? "none"}): ${log.trim()}`));
    };
    // Real time: socat is a real process, and this runs only when a pty link is really wanted.
    const timer = setTimeout(() => {
      finish(new Error(`socat did not create the ptys within ${timeoutMs} ms: ${log.trim()}`));
    }, timeoutMs);
    child.stderr?.on("data", onData);
    child.once("error", onError);
    child.once("exit", onExit);
  });
}

function spawnError(socatPath: string, error: NodeJS.ErrnoException): Error {
  return error.code === "ENOENT"
    ? new Error(`Cannot start "${socatPath}": socat is not installed (install it with "apt-get install socat")`, { cause: error })
    : new Error(`Cannot start "${socatPath}": ${error.message}`, { cause: error });
}
