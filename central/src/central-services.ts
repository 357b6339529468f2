/**
 * Wiring of central's stores and services over one database: what `main.ts`
 * serves and what tests and benchmarks build the same way.
 */
import type { Clock, Logger, Signer } from "@kiosk/contracts";
import type { CentralAppDeps } from "./app.ts";
import { AdmissionGate } from "./ingest/admission-gate.ts";
import { BatchIngester } from "./ingest/batch-ingester.ts";
import { RecordVerifier } from "./ingest/record-verifier.ts";
import { RequestAuthenticator } from "./ingest/request-authenticator.ts";
import { VerifyKeyCache } from "./ingest/verify-key-cache.ts";
import { WebCryptoVerifier } from "./ingest/web-crypto-verifier.ts";
import type { KioskDirectory, SignatureVerifier } from "./ports.ts";
import { ApiTokenStore } from "./store/api-token-store.ts";
import type { Database } from "./store/database.ts";
import { HeartbeatStore } from "./store/heartbeat-store.ts";
import { IngestStore } from "./store/ingest-store.ts";
import { MatterStore } from "./store/matter-store.ts";
import { ResultPartitions } from "./store/result-partitions.ts";
import { SqlKioskDirectory } from "./store/sql-kiosk-directory.ts";
import { SqlSeenNonces } from "./store/sql-seen-nonces.ts";
import { SyncPager } from "./sync/sync-pager.ts";

/** Settings of {@linkcode createCentralServices}. */
export interface CentralServicesOptions {
  /** Central's receipt and sync-page key. */
  readonly signer: Signer;
  readonly clock: Clock;
  readonly log: Logger;
  readonly offlineAfterMs: number;
  readonly maxConcurrentBatches: number;
  readonly retryAfterS: number;
  /** Largest difference between a kiosk request's signed timestamp and central's clock, either way, in milliseconds. */
  readonly requestWindowMs: number;
  /** Changes per sync page; defaults to the contract's maximum. */
  readonly syncPageSize?: number;
  /** Verifies record signatures; defaults to Web Crypto on the request thread. */
  readonly signatureVerifier?: SignatureVerifier;
}

/** Everything the app needs, plus the parts callers use directly. */
export interface CentralServices extends CentralAppDeps {
  readonly directory: KioskDirectory;
  readonly partitions: ResultPartitions;
}

/** Builds central's stores and services over `db` (no I/O happens here). */
export function createCentralServices(db: Database, options: CentralServicesOptions): CentralServices {
  const { signer, clock, log } = options;
  const directory = new SqlKioskDirectory(db);
  const keys = new VerifyKeyCache();
  const authenticator = new RequestAuthenticator({ directory, keys, nonces: new SqlSeenNonces(db), clock, windowMs: options.requestWindowMs });
  const ingestStore = new IngestStore(db);
  const partitions = new ResultPartitions(db, log.child("partitions"));
  const matters = new MatterStore(db);
  const ingester = new BatchIngester({
    authenticator,
    verifier: new RecordVerifier(directory, options.signatureVerifier ?? new WebCryptoVerifier(keys)),
    store: ingestStore,
    partitions,
    signer,
    clock,
    log: log.child("ingest"),
  });
  const syncPager = new SyncPager({ authenticator, matters, signer, clock, ...(options.syncPageSize ? { pageSize: options.syncPageSize } : {}) });
  return {
    db,
    heartbeats: new HeartbeatStore(db),
    authenticator,
    ingestStore,
    ingester,
    admission: new AdmissionGate(options.maxConcurrentBatches),
    retryAfterS: options.retryAfterS,
    syncPager,
    matters,
    tokens: new ApiTokenStore(db),
    signer,
    clock,
    log: log.child("http"),
    offlineAfterMs: options.offlineAfterMs,
    directory,
    partitions,
  };
}
