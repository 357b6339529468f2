/**
 * The sync chaos run: real kiosk generators (SQLite outbox, signer, sender)
 * deliver through a loopback chaos proxy to one or two real central
 * processes, while a nemesis injects one fault after another. At the end
 * every fault is healed, the backlog drains, every process stops, and the
 * checker compares what the kiosks reported as saved with central's store.
 *
 * With PostgreSQL two centrals share the database behind the proxy (either
 * takes any kiosk); on SQLite there is one central and the two-central part
 * is reported as skipped.
 */
import { createPrng, type Logger, MAX_BATCH_BYTES, problemSchema, type Prng } from "@kiosk/contracts";
import { loadCentralConfig, readCentralKey, registerKiosk } from "@kiosk/central";
import { freePort, startPgCluster, TestKiosk, type PgCluster } from "@kiosk/central/testing";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { Attacker, ATTACKS, type Attack } from "./attacker.ts";
import { CentralProcess } from "./central-process.ts";
import { ChaosProxy, PROXY_FAULTS, type CapturedBatch, type ProxyFault } from "./chaos-proxy.ts";
import { checkDelivery, type CentralStore, type CheckReport } from "./checker.ts";
import type { KillPhase } from "./generator-spec.ts";
import { KioskRunner, type RunEnd } from "./kiosk-runner.ts";
import { killAllChildren, waitFor } from "./processes.ts";

/** Faults the nemesis injects on the kiosk side, at central, or on the wire. */
export const CHAOS_FAULTS = [
  "kiosk-kill-commit",
  "kiosk-kill-after-send",
  "kiosk-kill-ack-update",
  "kiosk-kill-random",
  "kiosk-clock-1970",
  "kiosk-clock-year-ahead",
  "kiosk-disk-full",
  "second-sender",
  "central-down",
  "network-down",
  "replay",
  ...PROXY_FAULTS,
  ...ATTACKS,
] as const;

/** One of {@linkcode CHAOS_FAULTS}. */
export type ChaosFault = (typeof CHAOS_FAULTS)[number];

/** Faults that need a kiosk generator still saving results; the quick run puts them first. */
const GENERATOR_FAULTS: readonly ChaosFault[] = [
  "kiosk-kill-commit",
  "kiosk-clock-1970",
  "kiosk-disk-full",
  "kiosk-kill-after-send",
  "kiosk-clock-year-ahead",
  "kiosk-kill-ack-update",
  "second-sender",
  "kiosk-kill-random",
];

/** Settings of {@linkcode runSyncChaos}. */
export interface SyncChaosOptions {
  /** Results to save across all kiosks. */
  readonly results: number;
  readonly seed: number;
  readonly kiosks: number;
  /** Planned seconds of result generation (the pace follows from it). */
  readonly generateSeconds: number;
  /** Quick run: every fault kind once, generator faults first, short outages. */
  readonly quick: boolean;
  /** PostgreSQL server to create the run's database in; otherwise a throwaway cluster, or SQLite if none can start. */
  readonly postgresUrl?: string | undefined;
  /** Force SQLite (one central). */
  readonly sqlite?: boolean;
  /** Seconds allowed for the final drain. */
  readonly drainTimeoutS?: number;
  /** Keep the work folder (it is always kept when the run fails). */
  readonly keep?: boolean;
  /** Environment the child processes inherit `PATH` and `HOME` from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly log: Logger;
}

/** The JSON report of a run. */
export interface SyncChaosReport {
  readonly ok: boolean;
  readonly seed: number;
  readonly backend: "postgres" | "sqlite";
  readonly centrals: number;
  readonly kiosks: number;
  /** Results the kiosks reported as saved. */
  readonly results: number;
  /** Faults injected that really fired. */
  readonly faults: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly forgeriesAccepted: number;
  readonly receiptsInvalid: number;
  readonly receiptsChecked: number;
  /** Fired count per fault kind. */
  readonly faultCounts: Readonly<Record<string, number>>;
  /** Fault kinds that were tried but never fired, and kinds skipped with the reason. */
  readonly notFired: readonly string[];
  readonly skipped: Readonly<Record<string, string>>;
  readonly check: CheckReport;
  readonly attacks: { readonly sent: number; readonly unexpectedAnswers: number; readonly acceptedRecords: number };
  readonly refusedWhileFull: number;
  readonly generatorCrashes: number;
  readonly drained: boolean;
  readonly seconds: number;
  /** Work folder with every log, kept when the run failed or `keep` was set. */
  readonly workDir: string | null;
}

interface Backend {
  readonly kind: "postgres" | "sqlite";
  readonly store: CentralStore;
  readonly env: Record<string, string>;
  cleanup(): Promise<void>;
}

const DAY_MS = 86_400_000;

async function openBackend(options: SyncChaosOptions, workDir: string, log: Logger): Promise<Backend> {
  const sqliteBackend = (): Backend => {
    const sqlitePath = join(workDir, "central.db");
    return { kind: "sqlite", store: { sqlitePath }, env: { KIOSK_CENTRAL_DATABASE_SQLITE_PATH: sqlitePath }, cleanup: async () => {} };
  };
  if (options.sqlite) return sqliteBackend();
  let cluster: PgCluster | undefined;
  let server = options.postgresUrl;
  if (!server) {
    try {
      cluster = await startPgCluster();
      server = cluster.url;
    } catch (error) {
      log.warn("no PostgreSQL available; running on SQLite with one central", { error });
      return sqliteBackend();
    }
  }
  const name = `sync_chaos_${process.pid}_${Date.now()}`;
  const admin = new SQL({ url: server, max: 1 });
  await admin.unsafe(`create database ${name}`);
  await admin.close();
  const url = server.replace(/\/[^/?]*(\?.*)?$/, `/${name}$1`);
  return {
    kind: "postgres",
    store: { url },
    env: { DATABASE_URL: url },
    cleanup: async () => {
      const drop = new SQL({ url: server as string, max: 1 });
      await drop.unsafe(`drop database if exists ${name} with (force)`).catch(() => undefined);
      await drop.close();
      await cluster?.stop();
    },
  };
}

function dirSize(path: string): number {
  let total = 0;
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      total += statSync(`${path}${suffix}`).size;
    } catch {
      // Not there (no WAL yet).
    }
  }
  return total;
}

/**
 * Runs the chaos harness and returns its report (it never throws for a
 * failed check: `ok` is false then).
 */
export async function runSyncChaos(options: SyncChaosOptions): Promise<SyncChaosReport> {
  const started = performance.now();
  const log = options.log;
  const random = createPrng(options.seed);
  const workDir = mkdtempSync(join(tmpdir(), "sync-chaos-"));
  const backend = await openBackend(options, workDir, log);
  const counts = new Map<ChaosFault, number>();
  const tried = new Set<ChaosFault>();
  const skipped: Record<string, string> = {};
  const fired = (fault: ChaosFault, n = 1): void => {
    counts.set(fault, (counts.get(fault) ?? 0) + n);
  };
  let crashes = 0;
  let refusedWhileFull = 0;
  const centrals: CentralProcess[] = [];
  const runners: KioskRunner[] = [];
  const restarts = new Set<Promise<unknown>>();
  let proxy: ChaosProxy | undefined;
  const forgedEventIds: string[] = [];
  const attacks = { sent: 0, unexpectedAnswers: 0, acceptedRecords: 0 };
  let drained = false;
  let check: CheckReport | undefined;

  try {
    // Central's configuration, shared by both processes (same database, same receipt key).
    const env: Record<string, string> = {
      PATH: options.env["PATH"] ?? "/usr/bin:/bin",
      HOME: options.env["HOME"] ?? workDir,
      KIOSK_CENTRAL_KEYS_RECEIPT_KEY_PATH: join(workDir, "receipt.key"),
      KIOSK_CENTRAL_LOG_LEVEL: "warn",
      KIOSK_CENTRAL_INGEST_VERIFY_WORKERS: "1",
      KIOSK_CENTRAL_INGEST_RETRY_AFTER_S: "1",
      KIOSK_CENTRAL_INGEST_MAX_CONCURRENT_BATCHES: "16",
      ...backend.env,
    };
    const centralConfig = loadCentralConfig(env);
    const centralKey = await readCentralKey(centralConfig);
    const centralPublicKey = new Uint8Array(Buffer.from(centralKey.publicKey, "base64"));

    // Kiosks: keys made here and registered before any central runs (registering also migrates the database once).
    const perKiosk = Math.ceil(options.results / options.kiosks);
    const intervalMs = Math.max(0, Math.round((options.generateSeconds * 1000) / perKiosk) - 5);
    const kioskDirs: Array<{ kioskId: string; dir: string }> = [];
    for (let k = 0; k < options.kiosks; k++) {
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
    if (centralCount === 1) skipped["two-centrals"] = "SQLite backend: one central process (two centrals need a shared PostgreSQL)";
    for (let c = 0; c < centralCount; c++) {
      const port = await freePort();
      centrals.push(
        new CentralProcess({
          name: `central-${c + 1}`,
          port,
          env: { ...env, KIOSK_CENTRAL_HTTP_PORT: String(port) },
          logPath: join(workDir, `central-${c + 1}.log`),
        }),
      );
    }
    await Promise.all(centrals.map((c) => c.start()));
    const track = (work: Promise<unknown>): void => {
      const p = work.catch((error) => log.error("background step of the chaos run failed", { error }));
      restarts.add(p);
      void p.finally(() => restarts.delete(p));
    };
    const restartLater = (central: CentralProcess, delayMs: number): void => {
      track(Bun.sleep(delayMs).then(() => central.start()));
    };
    const proxyPort = await freePort();
    const theProxy = new ChaosProxy({
      port: proxyPort,
      upstreams: centrals.map((c) => c.upstream),
      random,
      holdMs: 10_000,
      killCentral: (name) => {
        const central = centrals.find((c) => c.upstream.name === name);
        if (!central) return;
        track(central.kill9().then(() => restartLater(central, random.int(200, options.quick ? 800 : 3000))));
      },
    });
    proxy = theProxy;
    await theProxy.start();
    // Straight to a live central (one may be restarting after a kill): an attack must meet central, not a closed port.
    const sendDirect = async (request: CapturedBatch): Promise<{ status: number; text: string }> => {
      for (let attempt = 1; ; attempt++) {
        await waitFor(() => centrals.some((c) => c.upstream.alive), 30_000, 20);
        try {
          return await theProxy.send(request);
        } catch (error) {
          if (attempt >= 5) throw error;
          await Bun.sleep(200);
        }
      }
    };
    const attacker = new Attacker(attackerKiosk, random, sendDirect);

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
    const killPhaseFault: Record<KillPhase, ChaosFault> = {
      commit: "kiosk-kill-commit",
      "after-send": "kiosk-kill-after-send",
      "ack-update": "kiosk-kill-ack-update",
    };
    const onEnd = (kioskId: string) => (end: RunEnd) => {
      if (end.selfKilled && end.kill) {
        fired(killPhaseFault[end.kill.phase]);
        return;
      }
      crashes += 1;
      log.error("a kiosk generator ended on its own", { kioskId, exitCode: end.exitCode, signal: end.signal });
    };
    kioskDirs.forEach(({ kioskId, dir }, k) => {
      runners.push(
        new KioskRunner({
          kioskId,
          dir,
          seed: (options.seed * 31 + k) >>> 0,
          env: { PATH: env.PATH as string, HOME: env.HOME as string },
          base: {
            kioskId,
            centralUrl: theProxy.url,
            target: perKiosk,
            intervalMs,
            journalPath: join(dir, "journal.txt"),
            sync: sync(dir),
          },
          onEnd: onEnd(kioskId),
        }),
      );
    });
    for (const runner of runners) await runner.restart({});
    await Promise.all(runners.map((r) => r.ready()));
    log.info("chaos run started", { backend: backend.kind, centrals: centralCount, kiosks: runners.length, results: options.results, intervalMs });

    const generating = (): boolean => runners.some((r) => !(r.status()?.done ?? false));
    const busyRunner = (): KioskRunner => {
      const busy = runners.filter((r) => !(r.status()?.done ?? false));
      return random.pick(busy.length > 0 ? busy : runners);
    };
    const stretchMs = (): number => (options.quick ? random.int(800, 1500) : random.int(1000, 5000));

    // Waits for an armed self-kill to fire; disarms it when it does not.
    const armKill = async (fault: ChaosFault, phase: KillPhase): Promise<void> => {
      const runner = busyRunner();
      const before = counts.get(fault) ?? 0;
      const kill = { phase, after: phase === "commit" ? random.int(1, 4) : random.int(1, 2), delayUs: random.int(0, phase === "commit" ? 4000 : 2000) };
      await runner.restart({ kill });
      const ok = await waitFor(() => (counts.get(fault) ?? 0) > before, 15_000, 25);
      if (!ok) await runner.restart({});
    };

    // Fired only when central acknowledged records while the kiosk clock was wrong (its ack time is on that clock):
    // with the window enforced, the kiosk must correct its request times by central's refusal.
    const clockStretch = async (offsetMs: number): Promise<boolean> => {
      const runner = busyRunner();
      await runner.restart({ clockOffsetMs: offsetMs });
      await runner.ready();
      const before = runner.status()?.journaled ?? 0;
      const sent = theProxy.batches;
      const ackedOnWrongClock = (): boolean => Math.abs((runner.status()?.lastAckAtMs ?? 0) - (Date.now() + offsetMs)) < DAY_MS;
      const ok = await waitFor(() => (runner.status()?.journaled ?? 0) > before && theProxy.batches > sent && ackedOnWrongClock(), stretchMs() + 5000, 50);
      await runner.restart({});
      return ok;
    };

    const inject = async (fault: ChaosFault): Promise<void> => {
      tried.add(fault);
      switch (fault) {
        case "kiosk-kill-commit":
          return armKill(fault, "commit");
        case "kiosk-kill-after-send":
          return armKill(fault, "after-send");
        case "kiosk-kill-ack-update":
          return armKill(fault, "ack-update");
        case "kiosk-kill-random": {
          await Bun.sleep(random.int(0, 300));
          if (await busyRunner().killAndRestart()) fired(fault);
          return;
        }
        case "kiosk-clock-1970":
          if (await clockStretch(-Date.now() + random.int(0, DAY_MS))) fired(fault);
          return;
        case "kiosk-clock-year-ahead":
          if (await clockStretch(365 * DAY_MS + random.int(0, DAY_MS))) fired(fault);
          return;
        case "kiosk-disk-full": {
          const runner = busyRunner();
          // Half of what is already used: full however much the WAL or a purge moves.
          await runner.restart({ budgetBytes: Math.max(1, Math.floor(dirSize(runner.dbPath) / 2)) });
          await runner.ready();
          const ok = await waitFor(() => (runner.status()?.refused ?? 0) > 0, stretchMs() + 5000, 50);
          await Bun.sleep(stretchMs());
          refusedWhileFull += runner.status()?.refused ?? 0;
          // Space returns (a technician, or a larger card): the kiosk takes results again.
          await runner.restart({});
          if (ok) fired(fault);
          return;
        }
        case "second-sender": {
          const runner = busyRunner();
          const second = runner.startSecondSender();
          await Bun.sleep(stretchMs() + 1000);
          const alive = second.running;
          await second.stop();
          if (alive) fired(fault);
          return;
        }
        case "central-down": {
          await Promise.all(centrals.map((c) => c.stop()));
          await Bun.sleep(options.quick ? 1500 : random.int(3000, 10_000));
          await Promise.all(centrals.map((c) => c.start()));
          fired(fault);
          return;
        }
        case "network-down": {
          theProxy.outage();
          await Bun.sleep(options.quick ? 1200 : random.int(2000, 8000));
          await theProxy.start();
          fired(fault);
          return;
        }
        case "replay": {
          // A captured genuine batch sent again as it was: refused (its nonce was used, or its time has passed).
          const sample = theProxy.capturedBatch();
          if (!sample) return;
          const answer = await sendDirect(sample).catch(() => ({ status: 0, text: "" }));
          const code = answer.status === 401 ? problemSchema.safeParse(JSON.parse(answer.text || "null")).data?.code : undefined;
          if (code === "request-replayed" || code === "request-expired") fired(fault);
          else log.warn("a replayed genuine batch was not refused as replayed", { status: answer.status, code });
          return;
        }
        default:
          break;
      }
      if ((PROXY_FAULTS as readonly string[]).includes(fault)) {
        const proxyFault = fault as ProxyFault;
        const before = theProxy.applied()[proxyFault] ?? 0;
        theProxy.arm(proxyFault);
        const ok = await waitFor(() => (theProxy.applied()[proxyFault] ?? 0) > before, 10_000, 20);
        if (ok) fired(fault);
        else if (theProxy.armed === proxyFault) theProxy.disarm();
        // Let the kiosk get through its back-off before the next fault.
        await Bun.sleep(options.quick ? 100 : random.int(100, 1000));
        return;
      }
      const attack = fault as Attack;
      const outcome = await attacker.run(attack, random.pick(runners).kioskId, theProxy.capturedBatch());
      attacks.sent += 1;
      attacks.acceptedRecords += outcome.accepted;
      if (outcome.unexpected) {
        attacks.unexpectedAnswers += 1;
        log.warn("an attack got an unexpected answer", { attack, status: outcome.status });
      }
      forgedEventIds.push(...outcome.forgedEventIds);
      fired(fault);
    };

    // The nemesis: in a quick run every kind once (generator faults first); then random kinds while results are generated.
    const firstRound: ChaosFault[] = [...GENERATOR_FAULTS];
    const rest = CHAOS_FAULTS.filter((f) => !GENERATOR_FAULTS.includes(f));
    shuffle(rest, random);
    firstRound.push(...rest);
    for (const fault of firstRound) {
      await inject(fault);
      log.debug(() => `fault ${fault}: ${counts.get(fault) ?? 0}`);
    }
    if (!options.quick) {
      while (generating()) {
        await inject(random.pick(CHAOS_FAULTS));
        await Bun.sleep(random.int(100, 600));
      }
    }

    // Heal everything and drain.
    await theProxy.start();
    await Promise.allSettled([...restarts]);
    await Promise.all(centrals.map((c) => (c.running ? undefined : c.start())));
    for (const runner of runners) if (!runner.running) await runner.restart({});
    const drainDeadline = (options.drainTimeoutS ?? 180) * 1000;
    drained = await waitFor(
      () => runners.every((r) => {
        const s = r.status();
        return s !== undefined && s.done && s.backlog === 0;
      }),
      drainDeadline,
      200,
    );
    if (!drained) log.error("the backlog did not drain in time", { statuses: runners.map((r) => r.status()) });
    await Promise.all(runners.map((r) => r.stop()));
    await theProxy.stop();
    await Promise.all(centrals.map((c) => c.stop()));
    check = await checkDelivery(
      runners.map((r) => ({ kioskId: r.kioskId, dbPath: r.dbPath, journalPath: r.journalPath })),
      backend.store,
      centralPublicKey,
      forgedEventIds,
    );
  } finally {
    await proxy?.stop().catch(() => undefined);
    await Promise.all(runners.map((r) => r.stop().catch(() => undefined)));
    await Promise.all(centrals.map((c) => c.stop().catch(() => undefined)));
    await killAllChildren();
    await backend.cleanup().catch((error) => log.warn("cannot remove the chaos database", { error }));
  }

  if (!check) throw new Error("The chaos run ended without a check");
  const faultCounts = Object.fromEntries(CHAOS_FAULTS.map((f) => [f, counts.get(f) ?? 0]));
  const notFired = [...tried].filter((f) => (counts.get(f) ?? 0) === 0);
  const forgeriesAccepted = attacks.acceptedRecords + check.forgedStored + check.unmatchedAtCentral;
  const ok =
    check.lost === 0 &&
    check.duplicated === 0 &&
    forgeriesAccepted === 0 &&
    check.receipts.invalid === 0 &&
    check.committedNotDelivered === 0 &&
    check.quarantined === 0 &&
    drained &&
    crashes === 0;
  const keep = !ok || options.keep === true;
  if (!keep) rmSync(workDir, { recursive: true, force: true });
  return {
    ok,
    seed: options.seed,
    backend: backend.kind,
    centrals: centrals.length,
    kiosks: runners.length,
    results: check.saved,
    faults: [...counts.values()].reduce((a, b) => a + b, 0),
    lost: check.lost,
    duplicated: check.duplicated,
    forgeriesAccepted,
    receiptsInvalid: check.receipts.invalid,
    receiptsChecked: check.receipts.checked,
    faultCounts,
    notFired,
    skipped,
    check,
    attacks,
    refusedWhileFull,
    generatorCrashes: crashes,
    drained,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    workDir: keep ? workDir : null,
  };
}

function shuffle<T>(items: T[], random: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
