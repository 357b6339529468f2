/**
 * The nemesis of a chaos run: injects one fault after another into the
 * running kiosks, centrals and wire, and counts the ones that really fired.
 * A quick run injects every kind once (generator faults first, while results
 * are still being saved); a full run then keeps injecting random kinds until
 * the kiosks have saved all their results.
 */
import { problemSchema, type Logger, type Prng } from "@kiosk/contracts";
import { statSync } from "node:fs";
import { ATTACKS, type Attack } from "./attacker.ts";
import { PROXY_FAULTS, type ProxyFault } from "./chaos-proxy.ts";
import type { KillPhase } from "./generator-spec.ts";
import type { KioskRunner, RunEnd } from "./kiosk-runner.ts";
import { waitFor } from "./managed-process.ts";
import type { ChaosProcesses } from "./processes.ts";

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

const DAY_MS = 86_400_000;

const KILL_PHASE_FAULT: Record<KillPhase, ChaosFault> = {
  commit: "kiosk-kill-commit",
  "after-send": "kiosk-kill-after-send",
  "ack-update": "kiosk-kill-ack-update",
};

/** What the nemesis did, for the report. */
export interface NemesisTally {
  /** Fired count per fault kind, every kind listed. */
  readonly faultCounts: Readonly<Record<string, number>>;
  /** Faults that really fired, in all. */
  readonly faults: number;
  /** Fault kinds tried that never fired. */
  readonly notFired: readonly string[];
  /** Kiosk generators that ended on their own, not by an armed kill. */
  readonly crashes: number;
  /** Results the kiosks refused while their disk was full. */
  readonly refusedWhileFull: number;
  /** Event ids of the forged records the attacks sent (none may be stored). */
  readonly forgedEventIds: readonly string[];
  readonly attacks: { readonly sent: number; readonly unexpectedAnswers: number; readonly acceptedRecords: number };
}

/** Dependencies and settings of {@linkcode Nemesis}. */
export interface NemesisDeps {
  readonly processes: ChaosProcesses;
  readonly random: Prng;
  /** Quick run: every fault kind once, short outages. */
  readonly quick: boolean;
  readonly log: Logger;
}

// Bytes a SQLite database takes on disk with its WAL.
function dbSize(path: string): number {
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

function shuffle<T>(items: T[], random: Prng): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** Injects the faults of one run into its processes. */
export class Nemesis {
  readonly #deps: NemesisDeps;
  readonly #counts = new Map<ChaosFault, number>();
  readonly #tried = new Set<ChaosFault>();
  readonly #forgedEventIds: string[] = [];
  readonly #attacks = { sent: 0, unexpectedAnswers: 0, acceptedRecords: 0 };
  #crashes = 0;
  #refusedWhileFull = 0;

  constructor(deps: NemesisDeps) {
    this.#deps = deps;
  }

  /** Counts a generator's end: an armed kill that fired, or a crash. */
  kioskEnded(kioskId: string, end: RunEnd): void {
    if (end.selfKilled && end.kill) {
      this.#fired(KILL_PHASE_FAULT[end.kill.phase]);
      return;
    }
    this.#crashes += 1;
    this.#deps.log.error("a kiosk generator ended on its own", { kioskId, exitCode: end.exitCode, signal: end.signal });
  }

  /** Injects every kind once (generator faults first), then, in a full run, random kinds while results are generated. */
  async run(): Promise<void> {
    const { random, processes, log } = this.#deps;
    const firstRound: ChaosFault[] = [...GENERATOR_FAULTS];
    const rest = CHAOS_FAULTS.filter((f) => !GENERATOR_FAULTS.includes(f));
    shuffle(rest, random);
    firstRound.push(...rest);
    for (const fault of firstRound) {
      await this.#inject(fault);
      log.debug(() => `fault ${fault}: ${this.#counts.get(fault) ?? 0}`);
    }
    if (!this.#deps.quick) {
      while (processes.generating()) {
        await this.#inject(random.pick(CHAOS_FAULTS));
        await Bun.sleep(random.int(100, 600));
      }
    }
  }

  /** What was injected and what fired so far. */
  tally(): NemesisTally {
    return {
      faultCounts: Object.fromEntries(CHAOS_FAULTS.map((f) => [f, this.#counts.get(f) ?? 0])),
      faults: [...this.#counts.values()].reduce((a, b) => a + b, 0),
      notFired: [...this.#tried].filter((f) => (this.#counts.get(f) ?? 0) === 0),
      crashes: this.#crashes,
      refusedWhileFull: this.#refusedWhileFull,
      forgedEventIds: [...this.#forgedEventIds],
      attacks: { ...this.#attacks },
    };
  }

  #fired(fault: ChaosFault, n = 1): void {
    this.#counts.set(fault, (this.#counts.get(fault) ?? 0) + n);
  }

  #busyRunner(): KioskRunner {
    const { runners } = this.#deps.processes;
    const busy = runners.filter((r) => !(r.status()?.done ?? false));
    return this.#deps.random.pick(busy.length > 0 ? busy : runners);
  }

  #stretchMs(): number {
    const { random } = this.#deps;
    return this.#deps.quick ? random.int(800, 1500) : random.int(1000, 5000);
  }

  // Waits for an armed self-kill to fire; disarms it when it does not.
  async #armKill(fault: ChaosFault, phase: KillPhase): Promise<void> {
    const { random } = this.#deps;
    const runner = this.#busyRunner();
    const before = this.#counts.get(fault) ?? 0;
    const kill = { phase, after: phase === "commit" ? random.int(1, 4) : random.int(1, 2), delayUs: random.int(0, phase === "commit" ? 4000 : 2000) };
    await runner.restart({ kill });
    const ok = await waitFor(() => (this.#counts.get(fault) ?? 0) > before, 15_000, 25);
    if (!ok) await runner.restart({});
  }

  /**
   * Fired only when central acknowledged records while the kiosk clock was wrong (its ack time is on that
   * clock): with the window enforced, the kiosk must correct its request times by central's refusal.
   */
  async #clockStretch(offsetMs: number): Promise<boolean> {
    const theProxy = this.#deps.processes.proxy;
    const runner = this.#busyRunner();
    await runner.restart({ clockOffsetMs: offsetMs });
    await runner.ready();
    const before = runner.status()?.journaled ?? 0;
    const sent = theProxy.batches;
    const ackedOnWrongClock = (): boolean => Math.abs((runner.status()?.lastAckAtMs ?? 0) - (Date.now() + offsetMs)) < DAY_MS;
    const ok = await waitFor(() => (runner.status()?.journaled ?? 0) > before && theProxy.batches > sent && ackedOnWrongClock(), this.#stretchMs() + 5000, 50);
    await runner.restart({});
    return ok;
  }

  async #inject(fault: ChaosFault): Promise<void> {
    const { processes, random, log } = this.#deps;
    const { centrals, runners } = processes;
    const theProxy = processes.proxy;
    const quick = this.#deps.quick;
    this.#tried.add(fault);
    switch (fault) {
      case "kiosk-kill-commit":
        return this.#armKill(fault, "commit");
      case "kiosk-kill-after-send":
        return this.#armKill(fault, "after-send");
      case "kiosk-kill-ack-update":
        return this.#armKill(fault, "ack-update");
      case "kiosk-kill-random": {
        await Bun.sleep(random.int(0, 300));
        if (await this.#busyRunner().killAndRestart()) this.#fired(fault);
        return;
      }
      case "kiosk-clock-1970":
        if (await this.#clockStretch(-Date.now() + random.int(0, DAY_MS))) this.#fired(fault);
        return;
      case "kiosk-clock-year-ahead":
        if (await this.#clockStretch(365 * DAY_MS + random.int(0, DAY_MS))) this.#fired(fault);
        return;
      case "kiosk-disk-full": {
        const runner = this.#busyRunner();
        // Half of what is already used: full however much the WAL or a purge moves.
        await runner.restart({ budgetBytes: Math.max(1, Math.floor(dbSize(runner.dbPath) / 2)) });
        await runner.ready();
        const ok = await waitFor(() => (runner.status()?.refused ?? 0) > 0, this.#stretchMs() + 5000, 50);
        await Bun.sleep(this.#stretchMs());
        this.#refusedWhileFull += runner.status()?.refused ?? 0;
        // Space returns (a technician, or a larger card): the kiosk takes results again.
        await runner.restart({});
        if (ok) this.#fired(fault);
        return;
      }
      case "second-sender": {
        const runner = this.#busyRunner();
        const second = runner.startSecondSender();
        await Bun.sleep(this.#stretchMs() + 1000);
        const alive = second.running;
        await second.stop();
        if (alive) this.#fired(fault);
        return;
      }
      case "central-down": {
        await Promise.all(centrals.map((c) => c.stop()));
        await Bun.sleep(quick ? 1500 : random.int(3000, 10_000));
        await Promise.all(centrals.map((c) => c.start()));
        this.#fired(fault);
        return;
      }
      case "network-down": {
        theProxy.outage();
        await Bun.sleep(quick ? 1200 : random.int(2000, 8000));
        await theProxy.start();
        this.#fired(fault);
        return;
      }
      case "replay": {
        // A captured genuine batch sent again as it was: refused (its nonce was used, or its time has passed).
        const sample = theProxy.capturedBatch();
        if (!sample) return;
        const answer = await processes.sendDirect(sample).catch(() => ({ status: 0, text: "" }));
        const code = answer.status === 401 ? problemSchema.safeParse(JSON.parse(answer.text || "null")).data?.code : undefined;
        if (code === "request-replayed" || code === "request-expired") this.#fired(fault);
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
      if (ok) this.#fired(fault);
      else if (theProxy.armed === proxyFault) theProxy.disarm();
      // Let the kiosk get through its back-off before the next fault.
      await Bun.sleep(quick ? 100 : random.int(100, 1000));
      return;
    }
    const attack = fault as Attack;
    const outcome = await processes.attacker.run(attack, random.pick(runners).kioskId, theProxy.capturedBatch());
    this.#attacks.sent += 1;
    this.#attacks.acceptedRecords += outcome.accepted;
    if (outcome.unexpected) {
      this.#attacks.unexpectedAnswers += 1;
      log.warn("an attack got an unexpected answer", { attack, status: outcome.status });
    }
    this.#forgedEventIds.push(...outcome.forgedEventIds);
    this.#fired(fault);
  }
}
