/**
 * The processes of a chaos run: one or two `./kiosk central` processes
 * behind the chaos proxy (two share a PostgreSQL database; SQLite gets one),
 * a supervised generator per kiosk, and an attacker kiosk that talks to
 * central directly. Started in order, healed after the faults, stopped in
 * order at the end; `dispose` removes whatever is left on any path.
 */
import { MAX_BATCH_BYTES, type Logger, type Prng } from "@kiosk/contracts";
import { loadCentralConfig, readCentralKey, registerKiosk } from "@kiosk/central";
import { freePort, TestKiosk } from "@kiosk/central/testing";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { Attacker } from "./attacker.ts";
import type { Backend } from "./backend.ts";
import { CentralProcess } from "./central-process.ts";
import { ChaosProxy, type CapturedBatch } from "./chaos-proxy.ts";
import { KioskRunner, type RunEnd } from "./kiosk-runner.ts";
import { killAllChildren, waitFor } from "./managed-process.ts";

/** Settings of {@linkcode ChaosProcesses}. */
export interface ChaosProcessesOptions {
  readonly workDir: string;
  readonly backend: Backend;
  readonly kiosks: number;
  /** Results to save across all kiosks. */
  readonly results: number;
  /** Planned seconds of result generation (the pace follows from it). */
  readonly generateSeconds: number;
  readonly seed: number;
  /** Quick run: centrals killed by the proxy come back sooner. */
  readonly quick: boolean;
  /** Environment the child processes inherit `PATH` and `HOME` from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly random: Prng;
  readonly log: Logger;
  /** Called when a kiosk generator ends by itself (its runner has started the next run). */
  readonly onKioskEnd: (kioskId: string, end: RunEnd) => void;
}

/** Centrals, proxy, kiosks and attacker of one run. */
export class ChaosProcesses {
  readonly centrals: CentralProcess[] = [];
  readonly runners: KioskRunner[] = [];
  readonly #options: ChaosProcessesOptions;
  readonly #restarts = new Set<Promise<unknown>>();
  #proxy: ChaosProxy | undefined;
  #attacker: Attacker | undefined;
  #centralPublicKey: Uint8Array | undefined;

  constructor(options: ChaosProcessesOptions) {
    this.#options = options;
  }

  /** The proxy between the kiosks and the centrals. */
  get proxy(): ChaosProxy {
    if (!this.#proxy) throw new Error("The chaos processes are not started");
    return this.#proxy;
  }

  get attacker(): Attacker {
    if (!this.#attacker) throw new Error("The chaos processes are not started");
    return this.#attacker;
  }

  /** Central's receipt key, raw. */
  get centralPublicKey(): Uint8Array {
    if (!this.#centralPublicKey) throw new Error("The chaos processes are not started");
    return this.#centralPublicKey;
  }

  /**
   * Registers the kiosks, starts the centrals, the proxy and one generator
   * per kiosk, and waits until every generator is ready.
   */
  async start(): Promise<void> {
    const { workDir, backend, random, log } = this.#options;
    // Central's configuration, shared by both processes (same database, same receipt key).
    const env: Record<string, string> = {
      PATH: this.#options.env["PATH"] ?? "/usr/bin:/bin",
      HOME: this.#options.env["HOME"] ?? workDir,
      KIOSK_CENTRAL_KEYS_RECEIPT_KEY_PATH: join(workDir, "receipt.key"),
      KIOSK_CENTRAL_LOG_LEVEL: "warn",
      KIOSK_CENTRAL_INGEST_VERIFY_WORKERS: "1",
      KIOSK_CENTRAL_INGEST_RETRY_AFTER_S: "1",
      KIOSK_CENTRAL_INGEST_MAX_CONCURRENT_BATCHES: "16",
      ...backend.env,
    };
    const centralConfig = loadCentralConfig(env);
    const centralKey = await readCentralKey(centralConfig);
    this.#centralPublicKey = new Uint8Array(Buffer.from(centralKey.publicKey, "base64"));

    // Kiosks: keys made here and registered before any central runs (registering also migrates the database once).
    const perKiosk = Math.ceil(this.#options.results / this.#options.kiosks);
    const intervalMs = Math.max(0, Math.round((this.#options.generateSeconds * 1000) / perKiosk) - 5);
    const kioskDirs: Array<{ kioskId: string; dir: string }> = [];
    for (let k = 0; k < this.#options.kiosks; k++) {
      const kioskId = `chaos-k${String(k + 1).padStart(2, "0")}`;
      const dir = join(workDir, kioskId);
      mkdirSync(join(dir, "keys"), { recursive: true });
      const signer = await loadOrCreateSigningKey(join(dir, "keys", "signing.key"));
      await registerKiosk(centralConfig, { kioskId, hallId: "chaos-hall", publicKey: signer.publicKey });
      kioskDirs.push({ kioskId, dir });
    }
    const attackerKiosk = await TestKiosk.create("chaos-attacker");
    await registerKiosk(centralConfig, { kioskId: attackerKiosk.kioskId, hallId: "chaos-hall", publicKey: attackerKiosk.signer.publicKey });

    // Centrals behind the proxy.
    const centralCount = backend.kind === "postgres" ? 2 : 1;
    for (let c = 0; c < centralCount; c++) {
      const port = await freePort();
      this.centrals.push(
        new CentralProcess({
          name: `central-${c + 1}`,
          port,
          env: { ...env, KIOSK_CENTRAL_HTTP_PORT: String(port) },
          logPath: join(workDir, `central-${c + 1}.log`),
        }),
      );
    }
    await Promise.all(this.centrals.map((c) => c.start()));
    const proxy = new ChaosProxy({
      port: await freePort(),
      upstreams: this.centrals.map((c) => c.upstream),
      random,
      holdMs: 10_000,
      killCentral: (name) => {
        const central = this.centrals.find((c) => c.upstream.name === name);
        if (!central) return;
        this.track(central.kill9().then(() => this.#restartLater(central, random.int(200, this.#options.quick ? 800 : 3000))));
      },
    });
    this.#proxy = proxy;
    await proxy.start();
    this.#attacker = new Attacker(attackerKiosk, random, (request) => this.sendDirect(request));

    const normalBudget = 1 << 30;
    const sync = (dir: string): Record<string, unknown> => ({
      dbPath: join(dir, "kiosk.db"),
      dataKeyFile: join(dir, "keys", "data.key"),
      signingKeyFile: join(dir, "keys", "signing.key"),
      centralPublicKey: centralKey.publicKey,
      centralKeyId: centralKey.keyId,
      retentionDays: 30,
      disk: { budgetBytes: normalBudget, softWatermark: 0.7, hardWatermark: 0.95, minFreeBytes: 0, checkIntervalMs: 1000, purgeAckedWhenFull: true },
      batch: { maxRecords: 50, maxBytes: MAX_BATCH_BYTES, requestTimeoutMs: 2000, idlePollMs: 1000 },
      backoff: { baseMs: 50, capMs: 1000 },
      syncDown: { pullIntervalMs: 600_000 },
    });
    kioskDirs.forEach(({ kioskId, dir }, k) => {
      this.runners.push(
        new KioskRunner({
          kioskId,
          dir,
          seed: (this.#options.seed * 31 + k) >>> 0,
          env: { PATH: env.PATH as string, HOME: env.HOME as string },
          base: {
            kioskId,
            centralUrl: proxy.url,
            target: perKiosk,
            intervalMs,
            journalPath: join(dir, "journal.txt"),
            sync: sync(dir),
          },
          onEnd: (end) => this.#options.onKioskEnd(kioskId, end),
        }),
      );
    });
    for (const runner of this.runners) await runner.restart({});
    await Promise.all(this.runners.map((r) => r.ready()));
    log.info("chaos run started", { backend: backend.kind, centrals: centralCount, kiosks: this.runners.length, results: this.#options.results, intervalMs });
  }

  /** Runs `work` in the background; healing waits for it, and a failure is logged. */
  track(work: Promise<unknown>): void {
    const p = work.catch((error) => this.#options.log.error("background step of the chaos run failed", { error }));
    this.#restarts.add(p);
    void p.finally(() => this.#restarts.delete(p));
  }

  #restartLater(central: CentralProcess, delayMs: number): void {
    this.track(Bun.sleep(delayMs).then(() => central.start()));
  }

  /** Sends straight to a live central (one may be restarting after a kill): an attack must meet central, not a closed port. */
  async sendDirect(request: CapturedBatch): Promise<{ status: number; text: string }> {
    for (let attempt = 1; ; attempt++) {
      await waitFor(() => this.centrals.some((c) => c.upstream.alive), 30_000, 20);
      try {
        return await this.proxy.send(request);
      } catch (error) {
        if (attempt >= 5) throw error;
        await Bun.sleep(200);
      }
    }
  }

  /** True while a kiosk still has results to save. */
  generating(): boolean {
    return this.runners.some((r) => !(r.status()?.done ?? false));
  }

  /** Heals every fault: the proxy passes traffic, every central and kiosk runs. */
  async heal(): Promise<void> {
    await this.proxy.start();
    await Promise.allSettled([...this.#restarts]);
    await Promise.all(this.centrals.map((c) => (c.running ? undefined : c.start())));
    for (const runner of this.runners) if (!runner.running) await runner.restart({});
  }

  /** Waits until every kiosk saved all its results and delivered its backlog; false when `timeoutMs` passes first. */
  async drain(timeoutMs: number): Promise<boolean> {
    const drained = await waitFor(
      () => this.runners.every((r) => {
        const s = r.status();
        return s !== undefined && s.done && s.backlog === 0;
      }),
      timeoutMs,
      200,
    );
    if (!drained) this.#options.log.error("the backlog did not drain in time", { statuses: this.runners.map((r) => r.status()) });
    return drained;
  }

  /** Stops the kiosks, then the proxy, then the centrals. */
  async stop(): Promise<void> {
    await Promise.all(this.runners.map((r) => r.stop()));
    await this.proxy.stop();
    await Promise.all(this.centrals.map((c) => c.stop()));
  }

  /** Stops whatever still runs, started or half-started, and kills any child left. Never throws. */
  async dispose(): Promise<void> {
    await this.#proxy?.stop().catch(() => undefined);
    await Promise.all(this.runners.map((r) => r.stop().catch(() => undefined)));
    await Promise.all(this.centrals.map((c) => c.stop().catch(() => undefined)));
    await killAllChildren();
  }
}
