/**
 * Wiring of the kiosk's store-and-forward and sync-down on Bun: key files,
 * the SQLite database, the sender, the sync-down client and maintenance.
 * The lead mounts it from `compose.ts`/`main.ts` and the health report.
 */
import {
  STORAGE_LEVELS,
  type Clock,
  type Logger,
  type OutboxHealth,
  type Service,
  type SyncDownHealth,
} from "@kiosk/contracts";
import { loadOrCreateDataKey, loadOrCreateSigningKey } from "@kiosk/runtime";
import { centralFetch } from "../adapters/central-tls.ts";
import { FetchUpstreamClient } from "../adapters/upstream-client-fetch.ts";
import { CentralClock } from "../outbox/central-clock.ts";
import { importCentralKey, type CentralKey } from "../outbox/central-key.ts";
import { OutboxSender } from "../outbox/outbox-sender.ts";
import { SignedUpstream } from "../outbox/signed-upstream.ts";
import type { SyncConfig } from "../sync-config.ts";
import { SyncDownClient } from "../sync-down/sync-down-client.ts";
import { createAesGcmSealer } from "./data-sealer.ts";
import { openDatabase } from "./db.ts";
import { DiskBudget, fileDiskProbe, type DiskProbe } from "./disk-budget.ts";
import { daysToMs, KioskStore } from "./kiosk-store.ts";
import { SqliteOutbox } from "./sqlite-outbox.ts";
import { SqliteSyncCache } from "./sqlite-sync-cache.ts";
import { StoreMaintenance } from "./store-maintenance.ts";

/** The parts of the edge config the kiosk storage reads (the edge config itself fits, once `sync` is mounted). */
export interface KioskStorageConfig {
  readonly kioskId: string;
  /**
   * Central's URL, the CA file its HTTPS certificate must verify with
   * (`central.caFile`), and the time limit of a heartbeat request (`central.requestTimeoutMs`).
   */
  readonly central: { readonly url: string; readonly caFile?: string | undefined; readonly requestTimeoutMs: number };
  readonly sync: SyncConfig;
}

/** Runtime dependencies of {@linkcode openKioskStorage}. */
export interface KioskStorageDeps {
  readonly clock: Clock;
  readonly log: Logger;
  /** Source of numbers in [0, 1) for back-off jitter; defaults to `Math.random`. */
  readonly random?: () => number;
  /** Id (UUID) of this run of the edge server; defaults to a fresh random one. */
  readonly bootId?: string;
  /** The fetch to reach central with (under `central.caFile`'s trust); defaults to the global one. */
  readonly fetch?: typeof fetch;
  /** Disk measurement; defaults to the database files and their filesystem. */
  readonly diskProbe?: DiskProbe;
}

/** What the health report and the session flow need to know. */
export interface KioskStorageStatus {
  /** False when new results are refused (storage full): the kiosk must go out of service. */
  readonly acceptingResults: boolean;
  /** Why results are refused, for the out-of-service screen; null while accepting. */
  readonly outOfServiceReason: string | null;
  readonly outbox: OutboxHealth;
  readonly syncDown: SyncDownHealth;
}

/** The opened kiosk storage. */
export interface KioskStorage {
  /** Saves results (`saveResult`), begins epochs (`beginEpoch`), verifies the chain. */
  readonly store: KioskStore;
  /** The outbox tables; `requeueQuarantined()` for technicians. */
  readonly outbox: SqliteOutbox;
  readonly sender: OutboxSender;
  /** Matter and blocklist queries (`pendingMatters`, `isBlocklisted`), offline. */
  readonly syncDown: SyncDownClient;
  readonly maintenance: StoreMaintenance;
  /** Signs requests to central with the kiosk's key and the shared clock correction, for heartbeats. */
  readonly requests: SignedUpstream;
  /** To start in order (and stop in reverse); the first one closes the database when stopped. */
  readonly services: readonly Service[];
  /** Health sections and whether results are accepted. */
  status(): KioskStorageStatus;
  /** Tries delivery and a sync pull at once (call when the network or central comes back). */
  nudge(): void;
}

/**
 * Opens the kiosk storage: loads (or creates) the signing and data key
 * files, opens and migrates the database, and builds the services. Starts
 * nothing; start `services` with `startAll`.
 *
 * @throws {KioskError} `config-invalid` for a bad key file, central key or CA file, or
 *   a database of another kiosk; `store-failed` for a damaged database.
 */
export async function openKioskStorage(config: KioskStorageConfig, deps: KioskStorageDeps): Promise<KioskStorage> {
  const { clock, log } = deps;
  const sync = config.sync;
  let central: CentralKey | undefined;
  if (sync.centralPublicKey !== undefined) central = await importCentralKey(sync.centralPublicKey, sync.centralKeyId);
  const toCentral = centralFetch(config.central.caFile, deps.fetch);
  const signer = await loadOrCreateSigningKey(sync.signingKeyFile);
  const sealer = await createAesGcmSealer(await loadOrCreateDataKey(sync.dataKeyFile));

  const db = openDatabase(sync.dbPath);
  const disk = new DiskBudget(deps.diskProbe ?? fileDiskProbe(sync.dbPath), sync.disk, log.child("disk"));
  let store: KioskStore;
  try {
    store = await KioskStore.open({
      db,
      kioskId: config.kioskId,
      signer,
      sealer,
      disk,
      clock,
      log: log.child("store"),
      bootId: deps.bootId ?? crypto.randomUUID(),
    });
  } catch (error) {
    db.close();
    throw error;
  }
  const outbox = new SqliteOutbox(db, sealer, log.child("outbox"));
  const upstream = new FetchUpstreamClient({ url: config.central.url, timeoutMs: sync.batch.requestTimeoutMs, fetch: toCentral });
  const random = deps.random ?? Math.random;
  // One reading of central's clock for both clients: a correction either one learns holds for the other.
  const centralClock = new CentralClock(clock);
  const sender = new OutboxSender({
    repository: outbox,
    upstream,
    signer,
    centralClock,
    central,
    clock,
    log: log.child("outbox"),
    random,
    maxRecords: sync.batch.maxRecords,
    maxBytes: sync.batch.maxBytes,
    backoff: sync.backoff,
    idlePollMs: sync.batch.idlePollMs,
  });
  store.onAppend(() => sender.notify());
  const syncDown = new SyncDownClient({
    kioskId: config.kioskId,
    cache: new SqliteSyncCache(db, sealer),
    upstream,
    signer,
    centralClock,
    central,
    clock,
    log: log.child("sync-down"),
    random,
    pullIntervalMs: sync.syncDown.pullIntervalMs,
    backoff: sync.backoff,
  });
  const maintenance = new StoreMaintenance({
    store,
    disk,
    clock,
    log: log.child("store"),
    intervalMs: sync.disk.checkIntervalMs,
    retentionMs: daysToMs(sync.retentionDays),
    purgeAckedWhenFull: sync.disk.purgeAckedWhenFull,
  });
  const database: Service = {
    name: "kiosk-db",
    start: async () => {},
    stop: async () => db.close(),
  };

  return {
    store,
    outbox,
    sender,
    syncDown,
    maintenance,
    requests: new SignedUpstream({
      upstream: new FetchUpstreamClient({ url: config.central.url, timeoutMs: config.central.requestTimeoutMs, fetch: toCentral }),
      signer,
      centralClock,
      log: log.child("central"),
    }),
    services: [database, maintenance, sender, syncDown],
    status() {
      const stats = outbox.stats();
      const state = sender.state;
      const storage = disk.last;
      const now = clock.now();
      return {
        acceptingResults: storage.acceptingResults,
        outOfServiceReason: storage.acceptingResults ? null : storage.reason,
        outbox: {
          backlog: stats.backlog,
          oldestPendingAgeS: stats.oldestPendingAtMs === null ? null : Math.max(0, Math.round((now - stats.oldestPendingAtMs) / 1000)),
          quarantined: stats.quarantined,
          lastAckAt: stats.lastAckAtMs === null ? null : new Date(stats.lastAckAtMs).toISOString(),
          lastError: state.lastError,
          consecutiveFailures: state.consecutiveFailures,
          storage: {
            level: storage.level,
            acceptingResults: storage.acceptingResults,
            reason: storage.level === STORAGE_LEVELS.ok ? null : storage.reason,
            usedBytes: storage.usedBytes,
            budgetBytes: storage.budgetBytes,
            freeBytes: storage.freeBytes,
          },
        },
        syncDown: syncDown.health(),
      };
    },
    nudge() {
      sender.nudge();
      syncDown.nudge();
    },
  };
}
