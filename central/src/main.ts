/**
 * Composition root of the central service on Bun.
 */
import { startAll, stopAll, systemClock, type Clock, type Logger, type Service } from "@kiosk/contracts";
import { BunHttpServer } from "@kiosk/runtime";
import { createCentralApp } from "./app.ts";
import type { CentralConfig } from "./config.ts";
import { openDatabase } from "./store/database.ts";
import { HeartbeatStore } from "./store/heartbeat-store.ts";
import { migrate } from "./store/migrate.ts";
import { MIGRATIONS } from "./store/migrations/index.ts";

/** A running central service. */
export interface CentralRuntime {
  /** Base URL of the API and console. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Opens and migrates the database, then serves the API and console. */
export async function startCentral(config: CentralConfig, options: { log: Logger; clock?: Clock }): Promise<CentralRuntime> {
  const clock = options.clock ?? systemClock;
  const log = options.log;
  const db = await openDatabase({ url: config.database.url, sqlitePath: config.database.sqlitePath });
  log.info("database open", { database: db.location });
  try {
    await migrate(db, MIGRATIONS, log.child("migrate"));
  } catch (error) {
    await db.close();
    throw error;
  }
  const heartbeats = new HeartbeatStore(db);
  const app = createCentralApp({ db, heartbeats, clock, log: log.child("http"), offlineAfterMs: config.fleet.offlineAfterMs });
  const server = new BunHttpServer({ host: config.http.host, port: config.http.port, fetch: app.fetch, log: log.child("http") });
  const services: Service[] = [server];
  try {
    await startAll(services, log);
  } catch (error) {
    await db.close();
    throw error;
  }
  log.info("central started", { url: server.url, database: db.dialect });
  return {
    url: server.url,
    stop: async () => {
      await stopAll(services, log);
      await db.close();
      log.info("central stopped");
    },
  };
}
