/**
 * Central wired for tests: every service over one test database, a fresh
 * receipt key, a fake clock and a capturing logger.
 */
import { generateSigner, type LogRecord, type Signer } from "@kiosk/contracts";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import type { Hono } from "hono";
import { createCentralApp } from "../app.ts";
import { createCentralServices, type CentralServices } from "../central-services.ts";
import { DEFAULT_REQUEST_WINDOW_S } from "../config.ts";
import type { Database } from "../store/database.ts";
import type { TestKiosk } from "./test-kiosk.ts";

/** A central app over a test database. */
export interface TestCentral {
  readonly app: Hono;
  readonly services: CentralServices;
  readonly signer: Signer;
  readonly clock: FakeClock;
  readonly records: LogRecord[];
  /** Registers a test kiosk's key in `hallId`. */
  register(kiosk: TestKiosk, hallId?: string): Promise<void>;
}

/** Options of {@linkcode createTestCentral}. */
export interface TestCentralOptions {
  /** Central clock at start (epoch ms); defaults to 2026-11-23T08:00:00Z. */
  readonly nowMs?: number;
  readonly maxConcurrentBatches?: number;
  readonly syncPageSize?: number;
  /** Request timestamp window, in milliseconds; defaults to the config's default. */
  readonly requestWindowMs?: number;
}

/** Builds central over `db` as `main.ts` does, for tests. */
export async function createTestCentral(db: Database, options: TestCentralOptions = {}): Promise<TestCentral> {
  const signer = await generateSigner();
  const clock = new FakeClock(options.nowMs ?? Date.parse("2026-11-23T08:00:00.000Z"));
  const { log, records } = captureLogger();
  const services = createCentralServices(db, {
    signer,
    clock,
    log,
    offlineAfterMs: 90_000,
    maxConcurrentBatches: options.maxConcurrentBatches ?? 4,
    retryAfterS: 7,
    requestWindowMs: options.requestWindowMs ?? DEFAULT_REQUEST_WINDOW_S * 1000,
    ...(options.syncPageSize ? { syncPageSize: options.syncPageSize } : {}),
  });
  return {
    app: createCentralApp(services),
    services,
    signer,
    clock,
    records,
    register: async (kiosk, hallId = "hall-dongcheng") => {
      await services.directory.register({ kioskId: kiosk.kioskId, hallId, publicKey: kiosk.signer.publicKey }, clock.now());
    },
  };
}
