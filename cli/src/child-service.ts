/**
 * A service run as a child `./kiosk <command>` process, with its JSON log
 * lines kept in a file and its warnings echoed to the terminal.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { join } from "node:path";

/** How to run one child service. */
export interface ChildSpec {
  /** Short name for messages and the log file, such as `central`. */
  readonly name: string;
  /** The `./kiosk` subcommand and its arguments. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves to true once the service is ready (see {@linkcode httpReady}). */
  readonly ready: () => Promise<boolean>;
  /** What `ready` waits for, for messages. */
  readonly readyWhat: string;
  readonly logDir: string;
}

const CLI_MAIN = join(import.meta.dir, "main.ts");

/** A readiness check: the URL answers with a 2xx status. */
export function httpReady(url: string): () => Promise<boolean> {
  return () =>
    fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (response) => response.ok,
      () => false,
    );
}

/** A child service started by {@linkcode startChild}. */
export class ChildService {
  readonly name: string;
  readonly logPath: string;
  readonly #proc: ReturnType<typeof Bun.spawn>;
  readonly #log: WriteStream;
  readonly #done: Promise<void>;
  #stopping = false;

  private constructor(spec: ChildSpec, onWarning: (line: string) => void) {
    this.name = spec.name;
    this.logPath = join(spec.logDir, `${spec.name}.log`);
    this.#log = createWriteStream(this.logPath, { flags: "a" });
    this.#proc = Bun.spawn([process.execPath, CLI_MAIN, ...spec.args], {
      env: spec.env,
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
    this.#done = Promise.all([
      this.#pump(this.#proc.stdout as ReadableStream<Uint8Array>, onWarning),
      this.#pump(this.#proc.stderr as ReadableStream<Uint8Array>, onWarning),
    ]).then(() => undefined);
  }

  /**
   * Starts the child and waits until it is ready.
   * @throws {Error} naming the log file when the child exits or is not ready within `timeoutMs`.
   */
  static async start(spec: ChildSpec, onWarning: (line: string) => void, timeoutMs = 30_000): Promise<ChildService> {
    const child = new ChildService(spec, onWarning);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (child.exitCode !== null) {
        await child.#done;
        throw new Error(`${spec.name} exited with code ${child.exitCode} while starting; see ${child.logPath}`);
      }
      if (await spec.ready()) return child;
      if (Date.now() > deadline) {
        await child.stop();
        throw new Error(`${spec.name} was not ready (${spec.readyWhat}) within ${timeoutMs} ms; see ${child.logPath}`);
      }
      await Bun.sleep(100);
    }
  }

  /** The exit code, or `null` while running. */
  get exitCode(): number | null {
    return this.#proc.exitCode;
  }

  /** Resolves with the exit code when the child ends on its own. */
  get exited(): Promise<number> {
    return this.#proc.exited;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Asks the child to stop (SIGTERM), then kills it if it has not stopped within `graceMs`. */
  async stop(graceMs = 10_000): Promise<number> {
    this.#stopping = true;
    if (this.#proc.exitCode === null) {
      this.#proc.kill("SIGTERM");
      const timer = setTimeout(() => this.#proc.kill("SIGKILL"), graceMs);
      await this.#proc.exited;
      clearTimeout(timer);
    }
    await this.#done;
    await new Promise<void>((resolve) => this.#log.end(resolve));
    return this.#proc.exitCode ?? 1;
  }

  // Copies output to the log file; lines at warn or error level also go to the terminal.
  async #pump(stream: ReadableStream<Uint8Array>, onWarning: (line: string) => void): Promise<void> {
    let pending = "";
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this.#log.write(chunk);
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const summary = warningSummary(line);
        if (summary) onWarning(`${this.name}: ${summary}`);
      }
    }
    if (pending) this.#log.write(pending);
  }
}

// Non-JSON output (a crash message) is always shown; JSON records only from warn up.
function warningSummary(line: string): string | undefined {
  if (!line.trim()) return undefined;
  try {
    const record = JSON.parse(line) as { level?: string; msg?: string; code?: string };
    if (record.level !== "warn" && record.level !== "error") return undefined;
    return `${record.level} ${record.msg ?? ""}${record.code ? ` [${record.code}]` : ""}`;
  } catch {
    return line;
  }
}
