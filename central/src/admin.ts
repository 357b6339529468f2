/**
 * One-shot administration on central's database and key, for the
 * `./kiosk central …` commands: register a kiosk key, create an API token,
 * show central's public key. Each opens the configured database (migrating
 * it), does one thing and closes it; central may be running meanwhile.
 */
import { silentLogger, systemClock, type Clock, type Logger } from "@kiosk/contracts";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import type { CentralConfig } from "./config.ts";
import type { KioskKeyRegistered, KioskKeyRegistration } from "./ports.ts";
import { centralKeyInfo, type CentralKeyInfo } from "./routes/central-key.ts";
import { ApiTokenStore, type CreatedApiToken } from "./store/api-token-store.ts";
import { openDatabase, type Database } from "./store/database.ts";
import { migrate } from "./store/migrate.ts";
import { MIGRATIONS } from "./store/migrations/index.ts";
import { SqlKioskDirectory } from "./store/sql-kiosk-directory.ts";

/** Options shared by the admin functions. */
export interface AdminOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
}

async function withDatabase<T>(config: CentralConfig, options: AdminOptions, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ url: config.database.url, sqlitePath: config.database.sqlitePath, maxConnections: 2 });
  try {
    await migrate(db, MIGRATIONS, options.log ?? silentLogger);
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * Registers a kiosk's public key (and the kiosk's hall) in central's kiosk
 * directory. Registering the same key again changes nothing but the hall.
 *
 * @throws {KioskError} `bad-request` for invalid ids, a key that is not 32
 *   bytes, or a key already registered to another kiosk; `store-failed` when
 *   the database cannot be opened.
 */
export async function registerKiosk(config: CentralConfig, registration: KioskKeyRegistration, options: AdminOptions = {}): Promise<KioskKeyRegistered> {
  const clock = options.clock ?? systemClock;
  return withDatabase(config, options, (db) => new SqlKioskDirectory(db).register(registration, clock.now()));
}

/**
 * Creates an API token for the registration system. The returned token is
 * the only copy: central stores its SHA-256.
 */
export async function createApiToken(config: CentralConfig, name: string, options: AdminOptions = {}): Promise<CreatedApiToken> {
  const clock = options.clock ?? systemClock;
  return withDatabase(config, options, (db) => new ApiTokenStore(db).create(name, clock.now()));
}

/**
 * Central's public receipt key (creating the key file, mode 0600, if it does
 * not exist yet), for configuring kiosks.
 */
export async function readCentralKey(config: CentralConfig): Promise<CentralKeyInfo> {
  return centralKeyInfo(await loadOrCreateSigningKey(config.keys.receiptKeyPath));
}
