/**
 * Ingest throughput, end to end: signed, gzip-compressed batches from
 * simulated kiosks posted over real HTTP (loopback) to a running central,
 * stored durably (SQLite `synchronous=FULL`; PostgreSQL with fsync on).
 * Building and signing the batches happens before the clock starts; the
 * measured time covers HTTP, decompression, request and per-record signature
 * verification, schema checks, the transaction and the signed receipt.
 * Reused by `./kiosk bench sync`.
 */
import {
  batchResponseSchema,
  fromBase64Url,
  generateSigner,
  importVerifyKey,
  receiptSigningInput,
  recordSigningInput,
  verifySignature,
  silentLogger,
  systemClock,
  type Logger,
} from "@kiosk/contracts";
import { BunHttpServer } from "@kiosk/runtime";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createCentralApp } from "../app.ts";
import { createCentralServices } from "../central-services.ts";
import { DEFAULT_REQUEST_WINDOW_S } from "../config.ts";
import { WorkerVerifier } from "../ingest/worker-verifier.ts";
import { openDatabase, type Database } from "../store/database.ts";
import { migrate } from "../store/migrate.ts";
import { MIGRATIONS } from "../store/migrations/index.ts";
import { startPgCluster, type PgCluster } from "./pg-cluster.ts";
import { TestKiosk, type SignedTestRequest } from "./test-kiosk.ts";

/** Options of {@linkcode runIngestBench}. */
export interface IngestBenchOptions {
  readonly backend: "sqlite" | "postgres";
  /** Records in total; defaults to 100,000. */
  readonly records?: number;
  /** Records per batch; defaults to 500 (the contract's maximum). */
  readonly batchSize?: number;
  /** Kiosks sending at once, each with one batch in flight; defaults to 4. */
  readonly kiosks?: number;
  /** Signature worker threads, as `ingest.verifyWorkers` (0: one per core, as central runs); -1 verifies on the request thread. */
  readonly verifyWorkers?: number;
  /** PostgreSQL URL to use instead of a fresh durable throwaway cluster. */
  readonly postgresUrl?: string;
  /** Progress lines. */
  readonly log?: Logger;
}

/** What {@linkcode runIngestBench} measured. */
export interface IngestBenchResult {
  readonly backend: "sqlite" | "postgres";
  readonly records: number;
  readonly batchSize: number;
  readonly kiosks: number;
  /** Signature worker threads (0: verified on the request thread). */
  readonly verifyWorkers: number;
  readonly batches: number;
  /** Wall time of sending every batch until the last receipt, in seconds. */
  readonly seconds: number;
  readonly recordsPerS: number;
  readonly batchMsP50: number;
  readonly batchMsP99: number;
  /** Compressed bytes sent per batch, on average. */
  readonly wireBytesPerBatch: number;
  /** Seconds spent building and signing the batches beforehand (not measured). */
  readonly prepareSeconds: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

async function openBenchDatabase(options: IngestBenchOptions): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  if (options.backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "central-bench-"));
    const db = await openDatabase({ sqlitePath: join(dir, "central.db") });
    return { db, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  let cluster: PgCluster | undefined;
  const url = options.postgresUrl ?? (cluster = await startPgCluster({ durable: true })).url;
  const db = await openDatabase({ url, sqlitePath: "", maxConnections: 16 });
  return { db, cleanup: async () => cluster?.stop() };
}

/**
 * Runs the ingest benchmark on one backend and returns its figures. Every
 * receipt is verified and every record must come back `accepted`.
 * @throws {Error} when a batch is not fully accepted or rows are missing afterwards.
 */
export async function runIngestBench(options: IngestBenchOptions): Promise<IngestBenchResult> {
  const total = options.records ?? 100_000;
  const batchSize = options.batchSize ?? 500;
  const kioskCount = options.kiosks ?? 4;
  const log = options.log ?? silentLogger;
  const { db, cleanup } = await openBenchDatabase(options);
  let server: BunHttpServer | undefined;
  const workers = options.verifyWorkers === -1 ? 0 : options.verifyWorkers || availableParallelism();
  const pool = workers > 0 ? new WorkerVerifier(workers, silentLogger) : undefined;
  try {
    await pool?.start();
    await migrate(db, MIGRATIONS, silentLogger);
    const signer = await generateSigner();
    const services = createCentralServices(db, {
      ...(pool ? { signatureVerifier: pool } : {}),
      signer,
      clock: systemClock,
      log: silentLogger,
      offlineAfterMs: 90_000,
      maxConcurrentBatches: Math.max(8, kioskCount),
      retryAfterS: 1,
      requestWindowMs: DEFAULT_REQUEST_WINDOW_S * 1000,
    });
    await services.partitions.ensure(Date.now());
    server = new BunHttpServer({ host: "127.0.0.1", port: 0, fetch: createCentralApp(services).fetch, log: silentLogger });
    await server.start();

    const prepareStarted = performance.now();
    const perKiosk = Math.ceil(total / kioskCount);
    const queues: SignedTestRequest[][] = [];
    let wireBytes = 0;
    for (let k = 0; k < kioskCount; k++) {
      const kiosk = await TestKiosk.create(`bench-k${String(k + 1).padStart(3, "0")}`);
      await services.directory.register({ kioskId: kiosk.kioskId, hallId: "bench-hall", publicKey: kiosk.signer.publicKey }, Date.now());
      const queue: SignedTestRequest[] = [];
      for (let done = 0; done < perKiosk && k * perKiosk + done < total; done += batchSize) {
        const count = Math.min(batchSize, perKiosk - done, total - k * perKiosk - done);
        const request = await kiosk.batch(await kiosk.records(count), { gzip: true });
        wireBytes += request.body.byteLength;
        queue.push(request);
      }
      queues.push(queue);
      log.info("bench kiosk prepared", { kioskId: kiosk.kioskId, batches: queue.length });
    }
    const prepareSeconds = (performance.now() - prepareStarted) / 1000;
    const verifyKey = await importVerifyKey(signer.publicKey);
    const base = server.url;
    const batchMs: number[] = [];

    const started = performance.now();
    await Promise.all(
      queues.map(async (queue) => {
        for (const request of queue) {
          const t0 = performance.now();
          const res = await fetch(`${base}${request.path}`, request.init);
          if (res.status !== 200) throw new Error(`Bench batch failed with HTTP ${res.status}: ${await res.text()}`);
          const reply = batchResponseSchema.parse(await res.json());
          const { signature, ...unsigned } = reply.receipt;
          if (!(await verifySignature(verifyKey, fromBase64Url(signature), receiptSigningInput(unsigned)))) throw new Error("Bench receipt does not verify");
          if (reply.results.some((r) => r.status !== "accepted")) throw new Error("Bench batch not fully accepted");
          batchMs.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const [row] = await db.sql`select count(*) as n from upstream_records`;
    if (Number(row.n) !== total) throw new Error(`Bench stored ${row.n} records, expected ${total}`);
    batchMs.sort((a, b) => a - b);
    const batches = queues.reduce((n, q) => n + q.length, 0);
    return {
      backend: options.backend,
      records: total,
      batchSize,
      kiosks: kioskCount,
      verifyWorkers: workers,
      batches,
      seconds: round(seconds, 3),
      recordsPerS: Math.round(total / seconds),
      batchMsP50: round(percentile(batchMs, 50), 1),
      batchMsP99: round(percentile(batchMs, 99), 1),
      wireBytesPerBatch: Math.round(wireBytes / batches),
      prepareSeconds: round(prepareSeconds, 1),
    };
  } finally {
    await server?.stop();
    await pool?.stop();
    await db.close();
    await cleanup();
  }
}

/** What {@linkcode measureVerifyRate} measured. */
export interface VerifyRate {
  readonly signatures: number;
  /** Ed25519 verifications per second, awaited one after another. */
  readonly sequentialPerS: number;
  /** Ed25519 verifications per second, 500 at a time as ingest does per batch. */
  readonly batchedPerS: number;
}

/** Ed25519 verifications per second through Web Crypto over record signing inputs (as ingest verifies them). */
export async function measureVerifyRate(signatures = 20_000): Promise<VerifyRate> {
  const signer = await generateSigner();
  const kiosk = await TestKiosk.create("bench-verify", { signer });
  const inputs: Uint8Array[] = [];
  const sigs: Uint8Array[] = [];
  for (const record of await kiosk.records(Math.min(signatures, 2_000))) {
    inputs.push(recordSigningInput({ ...record, kioskId: kiosk.kioskId, epoch: kiosk.epoch }));
    sigs.push(fromBase64Url(record.signature));
  }
  const key = await importVerifyKey(signer.publicKey);
  const at = (i: number) => [sigs[i % sigs.length]!, inputs[i % inputs.length]!] as const;
  let t0 = performance.now();
  for (let i = 0; i < signatures; i++) {
    const [sig, input] = at(i);
    if (!(await verifySignature(key, sig, input))) throw new Error("Signature did not verify");
  }
  const sequentialPerS = signatures / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < signatures; i += 500) {
    const results = await Promise.all(Array.from({ length: Math.min(500, signatures - i) }, (_, j) => verifySignature(key, ...at(i + j))));
    if (results.includes(false)) throw new Error("Signature did not verify");
  }
  const batchedPerS = signatures / ((performance.now() - t0) / 1000);
  return { signatures, sequentialPerS: Math.round(sequentialPerS), batchedPerS: Math.round(batchedPerS) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
