/**
 * A kiosk generator process for the sync chaos harness: opens the real
 * kiosk storage (SQLite outbox, signer, sender) and saves synthetic
 * verification results at a steady pace, appending each result's event id
 * to the "saved" journal only after `saveResult` resolved (committed with
 * fsync). That journal is the ground truth the checker compares with
 * central. It survives `kill -9` and restarts on the same database.
 *
 * Run as `bun generator.ts SPEC.json` (see {@linkcode GeneratorSpec}).
 */
import { type Clock, createPrng, isKioskError, type Service, startAll, stopAll, systemClock } from "@kiosk/contracts";
import { openKioskStorage, syncConfigSchema } from "@kiosk/edge-server";
import { processLogger } from "@kiosk/runtime";
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import type { GeneratorSpec, GeneratorStatus } from "./generator-spec.ts";
import { syntheticResult } from "./synthetic-result.ts";

const EVENT_LINE = /^[0-9a-f-]{36} \d+ \d+$/;

/**
 * Lines of the journal that were written completely. A `kill -9` can cut
 * the last line short; such a result counts as not saved (it is committed,
 * so it must still reach central, but only once).
 */
export function readJournal(path: string): string[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  // The part after the last newline is unfinished.
  lines.pop();
  return lines.filter((line) => EVENT_LINE.test(line));
}

/** A clock `offsetMs` away from the real one; timers still run on real time. */
function offsetClock(offsetMs: number): Clock {
  return offsetMs === 0 ? systemClock : { ...systemClock, now: () => Date.now() + offsetMs };
}

async function startKiller(): Promise<Worker> {
  const worker = new Worker(new URL("./killer-worker.ts", import.meta.url).href);
  await new Promise<void>((resolve) => {
    worker.onmessage = () => resolve();
  });
  return worker;
}

async function main(specPath: string): Promise<void> {
  const spec = JSON.parse(readFileSync(specPath, "utf8")) as GeneratorSpec;
  const log = processLogger("chaos-kiosk", "warn", { kioskId: spec.kioskId });
  const clock = offsetClock(spec.clockOffsetMs);
  const kill = spec.kill;
  const killer = kill && kill.phase !== "after-send" ? await startKiller() : undefined;
  const killSoon = (): void => killer?.postMessage({ pid: process.pid, delayUs: kill?.delayUs ?? 0 });

  let answers = 0;
  // The sender's fetch, instrumented for the kill points that follow a batch answer.
  const instrumented = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    if (!kill || kill.phase === "commit" || init?.method !== "POST" || response.status !== 200) return response;
    answers += 1;
    if (answers !== kill.after) return response;
    if (kill.phase === "after-send") {
      // The whole answer is here, so central has committed; the kiosk dies before storing the ack.
      await response.arrayBuffer();
      process.kill(process.pid, "SIGKILL");
    }
    killSoon();
    return response;
  };

  const sync = syncConfigSchema.parse(spec.sync);
  const storage = await openKioskStorage(
    { kioskId: spec.kioskId, central: { url: spec.centralUrl, requestTimeoutMs: 2000 }, sync },
    { clock, log, fetch: Object.assign(instrumented, { preconnect: fetch.preconnect }) },
  );
  const database = storage.services[0] as Service;
  const services = spec.senderOnly ? [database, storage.sender] : storage.services;
  await startAll(services, log);

  let stopping = false;
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.on(signal, () => {
        stopping = true;
        resolve();
      });
    }
  });
  // If the orchestrator dies without stopping us, do not outlive it.
  const parent = process.ppid;
  const watchdog = setInterval(() => {
    if (process.ppid !== parent) process.exit(3);
  }, 1000);

  let journaled = readJournal(spec.journalPath).length;
  let refused = 0;
  const failed: Record<string, number> = {};
  const writeStatus = (): void => {
    const stats = storage.outbox.stats();
    const status: GeneratorStatus = {
      pid: process.pid,
      atMs: Date.now(),
      journaled,
      refused,
      failed,
      backlog: stats.backlog,
      lastAckAtMs: stats.lastAckAtMs,
      quarantined: stats.quarantined,
      acceptingResults: storage.status().acceptingResults,
      done: spec.senderOnly || journaled >= spec.target,
    };
    writeFileSync(`${spec.statusPath}.tmp`, JSON.stringify(status));
    renameSync(`${spec.statusPath}.tmp`, spec.statusPath);
  };
  const statusTimer = setInterval(() => {
    try {
      writeStatus();
    } catch (error) {
      log.warn("cannot write the generator status", { error });
    }
  }, 200);

  if (!spec.senderOnly) {
    const random = createPrng(spec.seed);
    const journal = openSync(spec.journalPath, "a");
    // A line cut short by a kill must not swallow the next one.
    const existing = readFileSync(spec.journalPath, "utf8");
    if (existing.length > 0 && !existing.endsWith("\n")) writeSync(journal, "\n");
    let saves = 0;
    try {
      while (!stopping && journaled < spec.target) {
        const result = syntheticResult(spec.kioskId, random, clock.now());
        saves += 1;
        if (kill?.phase === "commit" && saves === kill.after) killSoon();
        try {
          const saved = await storage.store.saveVersionedResult(result);
          // Only now may the UI say "saved": this line is the checker's ground truth.
          writeSync(journal, `${saved.eventId} ${saved.epoch} ${saved.seq}\n`);
          journaled += 1;
        } catch (error) {
          if (!isKioskError(error)) throw error;
          if (error.code === "store-full") refused += 1;
          else failed[error.code] = (failed[error.code] ?? 0) + 1;
          // Out of service: the next applicant comes a little later.
          await Bun.sleep(50);
        }
        if (spec.intervalMs > 0) await Bun.sleep(spec.intervalMs);
      }
    } finally {
      closeSync(journal);
    }
  }
  writeStatus();
  await stopped;
  clearInterval(statusTimer);
  clearInterval(watchdog);
  await stopAll(services, log);
  killer?.terminate();
}

if (import.meta.main) {
  const specPath = process.argv[2];
  if (!specPath) {
    process.stderr.write("usage: bun generator.ts SPEC.json\n");
    process.exit(2);
  }
  await main(specPath);
  process.exit(0);
}
