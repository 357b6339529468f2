/**
 * One-shot administration on central's database and key, for the
 * `./kiosk central …` commands and the demo: register a kiosk key, create an
 * API token, write matters and blocklist entries, show central's public key. Each opens the configured database (migrating
 * it), does one thing and closes it; central may be running meanwhile.
 */
import { cardNumberSchema, silentLogger, systemClock, type BlocklistChange, type Clock, type Logger, type MatterInput } from "@kiosk/contracts";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import type { CentralConfig } from "./config.ts";
import type { KioskKeyRegistered, KioskKeyRegistration } from "./ports.ts";
import { centralKeyInfo, type CentralKeyInfo } from "./routes/central-key.ts";
import { ApiTokenStore, type CreatedApiToken } from "./store/api-token-store.ts";
import { openDatabase, type Database } from "./store/database.ts";
import { MatterStore, type ChangeOutcome, type MatterWritten } from "./store/matter-store.ts";
import { migrate } from "./store/migrate.ts";
import { MIGRATIONS } from "./store/migrations/index.ts";
import { SqlKioskDirectory } from "./store/sql-kiosk-directory.ts";

/** A card to list on the blocklist, as `PUT /api/v1/blocklist/{cardNumber}` takes it. */
export interface BlocklistEntry {
  readonly cardNumber: string;
  readonly reason: NonNullable<BlocklistChange["reason"]>;
}

/** Options of {@linkcode putMatters}. */
export interface PutMattersOptions extends AdminOptions {
  /** Write a matter whose current state is older than this again, dated now (see `MatterStore.putMatter`). */
  readonly restampOlderThanMs?: number;
}

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
 * Writes matters as the registration system's API does (`PUT
 * /api/v1/matters/{matterId}`), in order. Writing a matter's current state
 * again logs no change, so repeating the same writes is harmless; with
 * `restampOlderThanMs`, a state older than that is written again, dated now.
 *
 * @throws {ZodError} for a matter that fails `matterInputSchema`.
 * @throws {KioskError} `store-failed` when the database cannot be opened.
 */
export async function putMatters(config: CentralConfig, matters: readonly MatterInput[], options: PutMattersOptions = {}): Promise<MatterWritten[]> {
  const clock = options.clock ?? systemClock;
  const restamp = options.restampOlderThanMs === undefined ? {} : { restampOlderThanMs: options.restampOlderThanMs };
  return withDatabase(config, options, async (db) => {
    const store = new MatterStore(db);
    const written: MatterWritten[] = [];
    for (const matter of matters) written.push(await store.putMatter(matter, clock.now(), restamp));
    return written;
  });
}

/**
 * Lists cards on the blocklist as the registration system's API does (`PUT
 * /api/v1/blocklist/{cardNumber}`), in order. Listing a card again with the
 * same reason logs no change.
 *
 * @throws {ZodError} for a card number that fails `cardNumberSchema`.
 * @throws {KioskError} `store-failed` when the database cannot be opened.
 */
export async function putBlocklist(config: CentralConfig, entries: readonly BlocklistEntry[], options: AdminOptions = {}): Promise<ChangeOutcome[]> {
  const clock = options.clock ?? systemClock;
  return withDatabase(config, options, async (db) => {
    const store = new MatterStore(db);
    const outcomes: ChangeOutcome[] = [];
    for (const entry of entries) outcomes.push(await store.listCard(cardNumberSchema.parse(entry.cardNumber), entry.reason, clock.now()));
    return outcomes;
  });
}

/**
 * Central's public receipt key (creating the key file, mode 0600, if it does
 * not exist yet), for configuring kiosks.
 */
export async function readCentralKey(config: CentralConfig): Promise<CentralKeyInfo> {
  return centralKeyInfo(await loadOrCreateSigningKey(config.keys.receiptKeyPath));
}
