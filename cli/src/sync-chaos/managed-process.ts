/**
 * Child processes of the chaos harness (kiosk generators and central
 * services): started with their output in a log file, stopped politely or
 * killed with SIGKILL, and always reaped — every process the harness starts
 * is tracked so a failing run leaves none behind.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";

/** How to run one child. */
export interface ProcessSpec {
  readonly name: string;
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** File receiving stdout and stderr (appended, across restarts). */
  readonly logPath: string;
}

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

// Last resort when the harness itself ends without cleaning up (an uncaught error).
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.killNow();
  });
}

/** A running child process. */
export class ManagedProcess {
  readonly name: string;
  readonly #proc: ReturnType<typeof Bun.spawn>;
  readonly #log: WriteStream;
  readonly #pumped: Promise<void>;
  #killedByUs = false;

  private constructor(spec: ProcessSpec) {
    this.name = spec.name;
    this.#log = createWriteStream(spec.logPath, { flags: "a" });
    this.#proc = Bun.spawn([...spec.argv], { env: { ...spec.env }, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    this.#pumped = Promise.all([this.#pump(this.#proc.stdout as ReadableStream<Uint8Array>), this.#pump(this.#proc.stderr as ReadableStream<Uint8Array>)]).then(
      () => new Promise<void>((resolve) => this.#log.end(resolve)),
    );
    live.add(this);
    void this.#proc.exited.then(() => live.delete(this));
  }

  /** Starts a child; it is tracked until it exits. */
  static spawn(spec: ProcessSpec): ManagedProcess {
    installExitHook();
    return new ManagedProcess(spec);
  }

  get pid(): number {
    return this.#proc.pid;
  }

  /** Exit code, or `null` while running (or when ended by a signal). */
  get exitCode(): number | null {
    return this.#proc.exitCode;
  }

  /** The signal that ended it, such as `SIGKILL`, or `null`. */
  get signalCode(): string | null {
    const signal = this.#proc.signalCode;
    return signal === null || signal === undefined ? null : String(signal);
  }

  get running(): boolean {
    return this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  /** True when the harness itself killed or stopped it. */
  get killedByUs(): boolean {
    return this.#killedByUs;
  }

  /** Resolves when it has exited and its output is in the log. */
  async exited(): Promise<void> {
    await this.#proc.exited;
    await this.#pumped;
  }

  /** `kill -9`: no chance to flush, close or finish anything. */
  async kill9(): Promise<void> {
    this.#killedByUs = true;
    this.killNow();
    await this.exited();
  }

  /** Sends SIGKILL without waiting (for exit hooks). */
  killNow(): void {
    if (this.running) this.#proc.kill("SIGKILL");
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.#killedByUs = true;
    if (this.running) {
      this.#proc.kill("SIGTERM");
      const timer = setTimeout(() => this.killNow(), graceMs);
      await this.#proc.exited;
      clearTimeout(timer);
    }
    await this.exited();
  }

  async #pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    for await (const chunk of stream) this.#log.write(chunk);
  }
}

/** Kills every child still running (SIGKILL) and waits for them. */
export async function killAllChildren(): Promise<void> {
  await Promise.all([...live].map((child) => child.kill9()));
}

/** Path of the CLI entry point, for running `./kiosk central` as a child. */
export const CLI_MAIN = join(import.meta.dir, "..", "main.ts");
/** Path of the generator script. */
export const GENERATOR_MAIN = join(import.meta.dir, "generator.ts");

/** Polls `check` every `everyMs` until it returns true; false when `timeoutMs` passes first. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await Bun.sleep(everyMs);
  }
}
