/**
 * `./kiosk bench sync [--records N] [--samples N] [--verify-workers N]`: benchmarks
 * store-and-forward and prints ONE JSON object:
 *
 * - `commitMsMedian`: saving one result on the real kiosk store, fsync included;
 * - `drainRecordsPerSecSqlite` / `drainRecordsPerSecPostgres`: a backlog of
 *   `--records` (default 100,000) drained by the real sender into a real
 *   central (its own process) over loopback HTTP, on each backend (durable settings);
 * - `ingestRecordsPerSec`: central ingest alone (pre-signed batches from 4
 *   kiosks at once), on PostgreSQL;
 * - `verifyPerSec`: Ed25519 record verifications per second.
 *
 * `--verify-workers` sets central's `ingest.verifyWorkers` for the drains
 * (default 0: one per core).
 *
 * PostgreSQL comes from `DATABASE_URL` or `KIOSK_TEST_PG_URL` (a fresh
 * database is created in it and dropped afterwards), else a throwaway
 * cluster with fsync on. Exit 0 after a run (see `targets` for the figures
 * to reach), 1 when the benchmark could not run, 2 for bad usage.
 */
import { silentLogger } from "@kiosk/contracts";
import { loadCentralConfig, readCentralKey, registerKiosk } from "@kiosk/central";
import { createPgDatabase, freePort, measureVerifyRate, runIngestBench, startPgCluster, type PgCluster } from "@kiosk/central/testing";
import { benchCommitTime, benchDrain, type DrainBench } from "@kiosk/edge-server/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { wholeNumber } from "../flags.ts";
import { EXIT, type CliIo } from "../io.ts";
import { ChildService, httpReady } from "../child-service.ts";

const USAGE = "Usage: ./kiosk bench sync [--records N] [--samples N] [--verify-workers N]\n";

/** Targets of issue #5. */
const TARGETS = { commitMsMedian: 5, drainRecordsPerSec: 5000 } as const;

/**
 * Drains `records` into a central on the given database, run as its own
 * process (`./kiosk central`) as it is deployed: the kiosk's and central's
 * main threads do not share one event loop.
 */
async function drainInto(
  records: number,
  database: { url?: string; sqlitePath?: string },
  workDir: string,
  kioskId: string,
  verifyWorkers: number,
): Promise<DrainBench> {
  const port = await freePort();
  const env: Record<string, string> = {
    KIOSK_CENTRAL_HTTP_PORT: String(port),
    KIOSK_CENTRAL_KEYS_RECEIPT_KEY_PATH: join(workDir, `${kioskId}-receipt.key`),
    KIOSK_CENTRAL_LOG_LEVEL: "error",
    KIOSK_CENTRAL_INGEST_VERIFY_WORKERS: String(verifyWorkers),
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...(database.sqlitePath ? { KIOSK_CENTRAL_DATABASE_SQLITE_PATH: database.sqlitePath } : {}),
  };
  const config = loadCentralConfig(env);
  const key = await readCentralKey(config);
  const centralUrl = `http://127.0.0.1:${port}`;
  const central = await ChildService.start(
    {
      name: `${kioskId}-central`,
      args: ["central"],
      env: { ...process.env, ...env },
      ready: httpReady(`${centralUrl}/api/health`),
      readyWhat: `${centralUrl}/api/health answers`,
      logDir: workDir,
    },
    () => undefined,
  );
  try {
    return await benchDrain({
      kioskId,
      records,
      centralUrl,
      centralPublicKey: key.publicKey,
      centralKeyId: key.keyId,
      parentDir: workDir,
      register: async (signer) => {
        await registerKiosk(config, { kioskId, hallId: "bench-hall", publicKey: signer.publicKey });
      },
    });
  } finally {
    await central.stop();
  }
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let records: number;
  let samples: number;
  let verifyWorkers: number;
  try {
    const { values } = parseArgs({ args, options: { records: { type: "string" }, samples: { type: "string" }, "verify-workers": { type: "string" } } });
    records = wholeNumber(values.records, "--records", 100) ?? 100_000;
    samples = wholeNumber(values.samples, "--samples", 10) ?? 300;
    verifyWorkers = wholeNumber(values["verify-workers"], "--verify-workers", 0) ?? 0;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const workDir = mkdtempSync(join(tmpdir(), "bench-sync-"));
  let cluster: PgCluster | undefined;
  try {
    const started = performance.now();
    const progress = (text: string): void => io.err(`bench sync: ${text}\n`);
    progress(`commit time (${samples} saves)`);
    const commit = await benchCommitTime({ samples, parentDir: workDir });

    progress(`drain of ${records} records into SQLite`);
    const drainSqlite = await drainInto(records, { sqlitePath: join(workDir, "central.db") }, workDir, "bench-drain-sqlite", verifyWorkers);

    let server = io.env["DATABASE_URL"] || io.env["KIOSK_TEST_PG_URL"] || undefined;
    if (!server) {
      progress("starting a throwaway PostgreSQL cluster (fsync on)");
      cluster = await startPgCluster({ durable: true });
      server = cluster.url;
    }
    progress(`drain of ${records} records into PostgreSQL`);
    const drainDb = await createPgDatabase(server, "bench_sync_drain");
    let drainPostgres: DrainBench;
    try {
      drainPostgres = await drainInto(records, { url: drainDb.url }, workDir, "bench-drain-pg", verifyWorkers);
    } finally {
      await drainDb.dispose();
    }

    progress(`ingest of ${records} pre-signed records into PostgreSQL`);
    const ingestDb = await createPgDatabase(server, "bench_sync_ingest");
    let ingest;
    try {
      ingest = await runIngestBench({ backend: "postgres", records, postgresUrl: ingestDb.url });
    } finally {
      await ingestDb.dispose();
    }
    progress("signature verification rate");
    const verify = await measureVerifyRate();

    const result = {
      commitMsMedian: Math.round(commit.medianMs * 1000) / 1000,
      commitMsP95: Math.round(commit.p95Ms * 1000) / 1000,
      commitSamples: commit.samples,
      drainRecordsPerSecSqlite: drainSqlite.recordsPerSec,
      drainRecordsPerSecPostgres: drainPostgres.recordsPerSec,
      drainRecords: records,
      drainVerifyWorkers: verifyWorkers,
      drainSecondsSqlite: drainSqlite.seconds,
      drainSecondsPostgres: drainPostgres.seconds,
      ingestRecordsPerSec: ingest.recordsPerS,
      ingestBatchMsP50: ingest.batchMsP50,
      ingestBatchMsP99: ingest.batchMsP99,
      verifyPerSec: verify.batchedPerS,
      verifySequentialPerSec: verify.sequentialPerS,
      postgres: cluster ? "throwaway cluster, fsync on" : "given server (DATABASE_URL or KIOSK_TEST_PG_URL)",
      seconds: Math.round((performance.now() - started) / 100) / 10,
      targets: {
        commitMsMedian: { target: `<= ${TARGETS.commitMsMedian}`, met: commit.medianMs <= TARGETS.commitMsMedian },
        drainRecordsPerSecSqlite: { target: `>= ${TARGETS.drainRecordsPerSec}`, met: drainSqlite.recordsPerSec >= TARGETS.drainRecordsPerSec },
        drainRecordsPerSecPostgres: { target: `>= ${TARGETS.drainRecordsPerSec}`, met: drainPostgres.recordsPerSec >= TARGETS.drainRecordsPerSec },
      },
    };
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  } catch (error) {
    io.err(`bench sync failed: ${(error as Error).message}\n`);
    return EXIT.failure;
  } finally {
    await cluster?.stop().catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  }
}
