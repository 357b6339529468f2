/**
 * A read-only look into a kiosk's sync-down cache from outside the edge
 * server, such as a test checking what a real demo run pulled from central.
 */
import { Database } from "bun:sqlite";
import { KioskError, type Matter } from "@kiosk/contracts";
import { loadOrCreateDataKey } from "@kiosk/runtime";
import { createAesGcmSealer } from "./data-sealer.ts";
import { BUSY_TIMEOUT_MS } from "./db.ts";
import { SqliteSyncCache } from "./sqlite-sync-cache.ts";

/** The queries of the sync-down cache, on a read-only connection. */
export interface SyncCacheReader {
  /** Open matters naming `cardNumber` as a person. */
  pendingMatters(cardNumber: string): Promise<Matter[]>;
  counts(): { readonly openMatters: number; readonly blocklisted: number };
  close(): void;
}

/**
 * Opens the kiosk database at `dbPath` read-only (the edge server may keep
 * running and writing) with the data key in `dataKeyFile`, which unseals
 * the cached matters.
 *
 * @throws {KioskError} `store-failed` when the database cannot be opened.
 */
export async function openSyncCacheReader(options: { readonly dbPath: string; readonly dataKeyFile: string }): Promise<SyncCacheReader> {
  let db: Database;
  try {
    db = new Database(options.dbPath, { readonly: true, strict: true });
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  } catch (cause) {
    throw new KioskError("store-failed", `Cannot open the kiosk database "${options.dbPath}" to read: ${(cause as Error).message}`, { cause, retryable: false });
  }
  const cache = new SqliteSyncCache(db, await createAesGcmSealer(await loadOrCreateDataKey(options.dataKeyFile)));
  return {
    pendingMatters: (cardNumber) => cache.pendingMatters(cardNumber),
    counts: () => cache.counts(),
    close: () => db.close(),
  };
}
