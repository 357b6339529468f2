/**
 * One `./kiosk central` process of the chaos harness, on a fixed port so it
 * can be killed with SIGKILL and started again behind the proxy.
 */
import type { Upstream } from "./chaos-proxy.ts";
import { CLI_MAIN, ManagedProcess, waitFor } from "./managed-process.ts";

/** Settings of a {@linkcode CentralProcess}. */
export interface CentralProcessOptions {
  readonly name: string;
  readonly port: number;
  /** The whole environment of the process (its `KIOSK_CENTRAL_*` settings included). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logPath: string;
  /** How long a start may take before it counts as failed, in milliseconds. */
  readonly startTimeoutMs?: number;
}

/** A central service the harness can start, kill and restart. */
export class CentralProcess {
  readonly upstream: Upstream;
  readonly #options: CentralProcessOptions;
  #proc: ManagedProcess | undefined;
  #starting: Promise<void> | undefined;

  constructor(options: CentralProcessOptions) {
    this.#options = options;
    this.upstream = { name: options.name, url: `http://127.0.0.1:${options.port}`, alive: false };
  }

  get running(): boolean {
    return this.#proc?.running ?? false;
  }

  /**
   * Starts the process and waits until its health route answers; then the
   * proxy may route to it again.
   * @throws {Error} when it exits or is not ready in time.
   */
  start(): Promise<void> {
    this.#starting ??= this.#start().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    if (this.running) return;
    const proc = ManagedProcess.spawn({
      name: this.#options.name,
      argv: [process.execPath, CLI_MAIN, "central"],
      env: this.#options.env,
      logPath: this.#options.logPath,
    });
    this.#proc = proc;
    const health = `${this.upstream.url}/api/health`;
    const ready = await waitFor(
      async () =>
        !proc.running ||
        (await fetch(health, { signal: AbortSignal.timeout(1000) }).then(
          (r) => r.ok,
          () => false,
        )),
      this.#options.startTimeoutMs ?? 30_000,
      50,
    );
    if (!ready || !proc.running) {
      await proc.kill9();
      throw new Error(`central "${this.#options.name}" did not start; see ${this.#options.logPath}`);
    }
    this.upstream.alive = true;
  }

  /** `kill -9`, wherever it is in a batch. */
  async kill9(): Promise<void> {
    this.upstream.alive = false;
    await this.#proc?.kill9();
  }

  /** SIGTERM and wait. */
  async stop(): Promise<void> {
    this.upstream.alive = false;
    await this.#starting?.catch(() => undefined);
    await this.#proc?.stop();
  }
}
