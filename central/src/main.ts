/**
 * Composition root of the central service on Bun.
 */
import { KioskError, startAll, stopAll, systemClock, type Clock, type Logger, type Service } from "@kiosk/contracts";
import { BunHttpServer, loadOrCreateSigningKey } from "@kiosk/runtime";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { createCentralApp } from "./app.ts";
import { createCentralServices } from "./central-services.ts";
import type { CentralConfig } from "./config.ts";
import { WorkerVerifier } from "./ingest/worker-verifier.ts";
import { openDatabase } from "./store/database.ts";
import { migrate } from "./store/migrate.ts";
import { MIGRATIONS } from "./store/migrations/index.ts";

/** A running central service. */
export interface CentralRuntime {
  /** Base URL of the API and console. */
  readonly url: string;
  /** Key id of central's receipt key, for configuring kiosks. */
  readonly keyId: string;
  stop(): Promise<void>;
}

// The certificate and key files of `http.tlsCertFile`/`http.tlsKeyFile`, read once at start.
function readTls(config: CentralConfig): { cert: string; key: string } | undefined {
  const { tlsCertFile, tlsKeyFile } = config.http;
  if (tlsCertFile === undefined || tlsKeyFile === undefined) return undefined;
  const read = (path: string, key: string): string => {
    try {
      return readFileSync(path, "utf8");
    } catch (cause) {
      throw new KioskError("config-invalid", `Cannot read ${key} "${path}": ${(cause as Error).message}`, { cause });
    }
  };
  return { cert: read(tlsCertFile, "http.tlsCertFile"), key: read(tlsKeyFile, "http.tlsKeyFile") };
}

/** Opens and migrates the database, loads the receipt key, then serves the API and console (HTTPS when configured). */
export async function startCentral(config: CentralConfig, options: { log: Logger; clock?: Clock }): Promise<CentralRuntime> {
  const clock = options.clock ?? systemClock;
  const log = options.log;
  const tls = readTls(config);
  const signer = await loadOrCreateSigningKey(config.keys.receiptKeyPath);
  log.info("receipt key loaded", { keyId: signer.keyId, path: config.keys.receiptKeyPath });
  const db = await openDatabase({ url: config.database.url, sqlitePath: config.database.sqlitePath });
  log.info("database open", { database: db.location });
  try {
    await migrate(db, MIGRATIONS, log.child("migrate"));
  } catch (error) {
    await db.close();
    throw error;
  }
  // Record signatures are checked on worker threads so the request thread stays free for HTTP and SQL;
  // it mostly waits for them, so one worker per core keeps every core busy.
  const workers = config.ingest.verifyWorkers || availableParallelism();
  const signatureVerifier = new WorkerVerifier(workers, log.child("verify"));
  const services = createCentralServices(db, {
    signatureVerifier,
    signer,
    clock,
    log,
    offlineAfterMs: config.fleet.offlineAfterMs,
    maxConcurrentBatches: config.ingest.maxConcurrentBatches,
    retryAfterS: config.ingest.retryAfterS,
    requestWindowMs: config.auth.requestWindowS * 1000,
  });
  await services.partitions.ensure(clock.now());
  const app = createCentralApp(services);
  const server = new BunHttpServer({ host: config.http.host, port: config.http.port, fetch: app.fetch, log: log.child("http"), ...(tls ? { tls } : {}) });
  const running: Service[] = [signatureVerifier, server];
  try {
    await startAll(running, log);
  } catch (error) {
    await db.close();
    throw error;
  }
  log.info("central started", { url: server.url, database: db.dialect, keyId: signer.keyId });
  return {
    url: server.url,
    keyId: signer.keyId,
    stop: async () => {
      await stopAll(running, log);
      await db.close();
      log.info("central stopped");
    },
  };
}
