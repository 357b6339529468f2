/**
 * Supervises one kiosk generator of the chaos harness: starts it with a
 * spec, restarts it with other settings (an armed self-kill, a wrong clock,
 * a tiny disk budget), kills it with SIGKILL on command, and starts it again
 * whenever it dies on its own (an armed kill that fired). Every run of the
 * same kiosk shares its database, keys and journal.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { GeneratorSpec, GeneratorStatus, KillPlan } from "./generator-spec.ts";
import { GENERATOR_MAIN, ManagedProcess, waitFor } from "./managed-process.ts";

/** Per-run settings that faults change. */
export interface RunOverrides {
  readonly kill?: KillPlan | null;
  readonly clockOffsetMs?: number;
  /** Disk budget in bytes (the store's fail-closed limit). */
  readonly budgetBytes?: number;
}

/** How a run of the generator ended, when it was not the harness that ended it. */
export interface RunEnd {
  readonly kill: KillPlan | null;
  /** True when the process died of SIGKILL it sent itself: the armed kill fired. */
  readonly selfKilled: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/** Settings of a {@linkcode KioskRunner}. */
export interface KioskRunnerOptions {
  readonly kioskId: string;
  readonly dir: string;
  /** The spec of an ordinary run; faults override parts of it. */
  readonly base: Omit<GeneratorSpec, "kill" | "clockOffsetMs" | "senderOnly" | "statusPath" | "seed">;
  readonly seed: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Called when a run ends by itself (the runner has already started the next one). */
  readonly onEnd: (end: RunEnd) => void;
}

/** One supervised kiosk. */
export class KioskRunner {
  readonly kioskId: string;
  readonly #options: KioskRunnerOptions;
  #proc: ManagedProcess | undefined;
  #overrides: RunOverrides = {};
  #runs = 0;
  #stopped = false;
  #seconds: ManagedProcess[] = [];

  constructor(options: KioskRunnerOptions) {
    this.kioskId = options.kioskId;
    this.#options = options;
  }

  get statusPath(): string {
    return join(this.#options.dir, "status.json");
  }

  get journalPath(): string {
    return this.#options.base.journalPath;
  }

  get dbPath(): string {
    return String(this.#options.base.sync["dbPath"]);
  }

  get running(): boolean {
    return this.#proc?.running ?? false;
  }

  /** The last status the generator wrote, or `undefined`. */
  status(): GeneratorStatus | undefined {
    if (!existsSync(this.statusPath)) return undefined;
    try {
      return JSON.parse(readFileSync(this.statusPath, "utf8")) as GeneratorStatus;
    } catch {
      // Replaced atomically, so this is only a file from a run that has not written yet.
      return undefined;
    }
  }

  /** Starts a run with `overrides` (after killing the current one with SIGKILL, if any). */
  async restart(overrides: RunOverrides = {}): Promise<void> {
    await this.#proc?.kill9();
    this.#launch(overrides);
  }

  /** `kill -9` of the current run, then an ordinary run. Resolves false when no run was alive. */
  async killAndRestart(): Promise<boolean> {
    const alive = this.running;
    await this.restart({});
    return alive;
  }

  /** Waits until the current run has written a status (it has opened the store). */
  async ready(timeoutMs = 30_000): Promise<boolean> {
    const pid = this.#proc?.pid;
    return waitFor(() => this.status()?.pid === pid, timeoutMs, 50);
  }

  /** Starts a second process sending from the same database (two senders for one kiosk). */
  startSecondSender(): ManagedProcess {
    const proc = this.#spawn({ ...this.#spec(this.#overrides), senderOnly: true, kill: null, statusPath: join(this.#options.dir, "status-second.json") }, "second");
    this.#seconds.push(proc);
    return proc;
  }

  /** Stops every process of this kiosk (SIGTERM, so the last status is written). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await Promise.all([this.#proc?.stop(), ...this.#seconds.map((p) => p.stop())]);
  }

  #spec(overrides: RunOverrides): GeneratorSpec {
    const base = this.#options.base;
    const sync = overrides.budgetBytes === undefined ? base.sync : { ...base.sync, disk: { ...(base.sync["disk"] as object), budgetBytes: overrides.budgetBytes } };
    return {
      ...base,
      sync,
      seed: (this.#options.seed + this.#runs * 7919) >>> 0,
      clockOffsetMs: overrides.clockOffsetMs ?? 0,
      senderOnly: false,
      kill: overrides.kill ?? null,
      statusPath: this.statusPath,
    };
  }

  #spawn(spec: GeneratorSpec, tag: string): ManagedProcess {
    this.#runs += 1;
    const specPath = join(this.#options.dir, `spec-${this.#runs}-${tag}.json`);
    writeFileSync(specPath, JSON.stringify(spec));
    return ManagedProcess.spawn({
      name: `${this.kioskId}#${this.#runs}`,
      argv: [process.execPath, GENERATOR_MAIN, specPath],
      env: this.#options.env,
      logPath: join(this.#options.dir, "generator.log"),
    });
  }

  #launch(overrides: RunOverrides): void {
    if (this.#stopped) return;
    this.#overrides = overrides;
    const spec = this.#spec(overrides);
    const proc = this.#spawn(spec, "main");
    this.#proc = proc;
    void proc.exited().then(() => {
      if (this.#proc !== proc || proc.killedByUs || this.#stopped) return;
      const signal = proc.signalCode;
      const end: RunEnd = { kill: spec.kill, selfKilled: signal === "SIGKILL" && spec.kill !== null, exitCode: proc.exitCode, signal };
      // Back in service at once, as a kiosk rebooting after a crash; a fired kill is not re-armed.
      this.#launch({ ...overrides, kill: null });
      this.#options.onEnd(end);
    });
  }
}
