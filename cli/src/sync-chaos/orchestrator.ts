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
import { createPrng, type Logger } from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openBackend } from "./backend.ts";
import { checkDelivery, type CheckReport } from "./checker.ts";
import { Nemesis } from "./nemesis.ts";
import { ChaosProcesses } from "./processes.ts";
import { buildReport, type SyncChaosReport } from "./report.ts";

export { CHAOS_FAULTS } from "./nemesis.ts";

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

/**
 * Runs the chaos harness and returns its report (it never throws for a
 * failed check: `ok` is false then).
 */
export async function runSyncChaos(options: SyncChaosOptions): Promise<SyncChaosReport> {
  const started = performance.now();
  const { log } = options;
  const random = createPrng(options.seed);
  const workDir = mkdtempSync(join(tmpdir(), "sync-chaos-"));
  const backend = await openBackend(options, workDir, log).catch((error: unknown) => {
    rmSync(workDir, { recursive: true, force: true });
    throw error;
  });
  const processes: ChaosProcesses = new ChaosProcesses({
    workDir,
    backend,
    kiosks: options.kiosks,
    results: options.results,
    generateSeconds: options.generateSeconds,
    seed: options.seed,
    quick: options.quick,
    env: options.env,
    random,
    log,
    onKioskEnd: (kioskId, end) => nemesis.kioskEnded(kioskId, end),
  });
  const nemesis = new Nemesis({ processes, random, quick: options.quick, log });
  let drained = false;
  let check: CheckReport;
  try {
    await processes.start();
    await nemesis.run();
    await processes.heal();
    drained = await processes.drain((options.drainTimeoutS ?? 180) * 1000);
    await processes.stop();
    check = await checkDelivery(
      processes.runners.map((r) => ({ kioskId: r.kioskId, dbPath: r.dbPath, journalPath: r.journalPath })),
      backend.store,
      processes.centralPublicKey,
      nemesis.tally().forgedEventIds,
    );
  } finally {
    await processes.dispose();
    await backend.cleanup().catch((error) => log.warn("cannot remove the chaos database", { error }));
  }

  const report = buildReport({
    seed: options.seed,
    backend: backend.kind,
    centrals: processes.centrals.length,
    kiosks: processes.runners.length,
    check,
    tally: nemesis.tally(),
    drained,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    workDir,
    keep: options.keep === true,
  });
  if (report.workDir === null) rmSync(workDir, { recursive: true, force: true });
  return report;
}
