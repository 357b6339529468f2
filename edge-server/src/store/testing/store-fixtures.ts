/**
 * Test fixtures for the kiosk store, sender and sync-down tests: a store on
 * a temporary file (or in memory) with fresh keys, and sample personal data.
 */
import type { Database } from "bun:sqlite";
import { generateSigner, type Clock, type Logger, type LogRecord, type Signer, type VerificationResult } from "@kiosk/contracts";
import { captureLogger, FakeClock, sampleSignature } from "@kiosk/contracts/testing";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAesGcmSealer, type DataSealer } from "../data-sealer.ts";
import { openDatabase } from "../db.ts";
import { DiskBudget, fileDiskProbe, type DiskLimits, type DiskProbe } from "../disk-budget.ts";
import { KioskStore } from "../kiosk-store.ts";
import { SqliteOutbox } from "../sqlite-outbox.ts";
import { SqliteSyncCache } from "../sqlite-sync-cache.ts";

export const KIOSK_ID = "hall-7-k1";
export const BOOT_ID = "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f";
/** A resident ID number that passes the GB 11643 check. */
export const ID_NUMBER = "11010519491231002X";
export const NAME = "欧阳娜娜";
export const NAME_EN = "OUYANG NANA";

/** A fresh AES-256-GCM data key. */
export function randomDataKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]) as Promise<CryptoKey>;
}

let sessionCounter = 0;

/** A valid verification result (current version) for {@linkcode KIOSK_ID} with a fresh session id. */
export function sampleResult(overrides: Partial<VerificationResult> = {}): VerificationResult {
  sessionCounter += 1;
  return {
    sessionId: crypto.randomUUID(),
    kioskId: KIOSK_ID,
    outcome: "verified",
    card: {
      cardType: "resident",
      idNumber: ID_NUMBER,
      name: NAME,
      nameEn: NAME_EN,
      sex: "female",
      birthDate: "1949-12-31",
      validUntil: "long-term",
    },
    face: { model: "facenet-512", threshold: 0.6, similarity: 0.81, liveness: { mode: "both", passed: true, actions: ["blink"] } },
    attempts: [
      { outcome: "not-matched", reasons: [] },
      { outcome: "matched", reasons: [] },
    ],
    matters: [{ matterId: `M-${sessionCounter}`, role: "legal-representative" }],
    // A short signature keeps 500 results within one batch's byte limit; a signature of real size is about 300 points.
    signature: sampleSignature({ strokes: 2, pointsPerStroke: 20 }),
    startedAt: "2026-01-01T00:00:00.000Z",
    completedAt: "2026-01-01T00:01:00.000Z",
    ...overrides,
  };
}

/** Limits that never trigger. */
export const ROOMY_DISK: DiskLimits = { budgetBytes: 1 << 30, softWatermark: 0.7, hardWatermark: 0.95, minFreeBytes: 0 };

/** Options of {@linkcode openTestStore}. */
export interface TestStoreOptions {
  /** A directory to hold `kiosk.db`; an in-memory database when omitted and `file` is false. */
  readonly dir?: string;
  /** Use a file in a fresh temporary directory. */
  readonly file?: boolean;
  readonly clock?: FakeClock;
  readonly signer?: Signer;
  readonly dataKey?: CryptoKey;
  readonly kioskId?: string;
  readonly probe?: DiskProbe;
  readonly limits?: DiskLimits;
}

/** A store with everything a test needs around it. */
export interface TestStore {
  readonly db: Database;
  readonly path: string;
  readonly dir: string | undefined;
  readonly store: KioskStore;
  readonly outbox: SqliteOutbox;
  readonly cache: SqliteSyncCache;
  readonly sealer: DataSealer;
  readonly signer: Signer;
  readonly dataKey: CryptoKey;
  readonly disk: DiskBudget;
  readonly clock: FakeClock & Clock;
  readonly log: Logger;
  readonly records: LogRecord[];
  /** Closes the database (and removes the temporary directory when this call made it). */
  dispose(options?: { keepDir?: boolean }): void;
}

/** Opens a migrated store with fresh keys (or the given ones). */
export async function openTestStore(options: TestStoreOptions = {}): Promise<TestStore> {
  const made = options.dir === undefined && options.file === true ? mkdtempSync(join(tmpdir(), "kiosk-store-")) : undefined;
  const dir = options.dir ?? made;
  const path = dir === undefined ? ":memory:" : join(dir, "kiosk.db");
  const clock = options.clock ?? new FakeClock(Date.parse("2026-03-01T08:00:00.000Z"));
  const signer = options.signer ?? (await generateSigner());
  const dataKey = options.dataKey ?? (await randomDataKey());
  const sealer = await createAesGcmSealer(dataKey);
  const { log, records } = captureLogger("debug");
  const db = openDatabase(path);
  const disk = new DiskBudget(options.probe ?? fileDiskProbe(path), options.limits ?? ROOMY_DISK, log);
  const store = await KioskStore.open({ db, kioskId: options.kioskId ?? KIOSK_ID, signer, sealer, disk, clock, log, bootId: BOOT_ID });
  return {
    db,
    path,
    dir,
    store,
    outbox: new SqliteOutbox(db, sealer, log),
    cache: new SqliteSyncCache(db, sealer),
    sealer,
    signer,
    dataKey,
    disk,
    clock,
    log,
    records,
    dispose(opts = {}) {
      db.close();
      if (made && !opts.keepDir) rmSync(made, { recursive: true, force: true });
    },
  };
}

/** A sealer that counts the bodies it opens (`opened`), sealing and opening with `inner`. */
export function countingSealer(inner: DataSealer): DataSealer & { opened: number } {
  const counting = {
    opened: 0,
    seal: (plaintext: Uint8Array, aad: Uint8Array) => inner.seal(plaintext, aad),
    open: (sealed: Uint8Array, aad: Uint8Array) => {
      counting.opened += 1;
      return inner.open(sealed, aad);
    },
    lookupToken: (text: string) => inner.lookupToken(text),
  };
  return counting;
}

/** A temporary directory, removed by the returned function. */
export function tempDir(prefix = "kiosk-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A receipt-shaped object good enough for tests that acknowledge rows directly. */
export function fakeReceipt(epoch: number, ackThrough: number) {
  return {
    kioskId: KIOSK_ID,
    epoch,
    ackThrough,
    batchDigest: "a".repeat(64),
    resultsDigest: "b".repeat(64),
    receivedAt: "2026-03-01T08:00:00.000Z",
    keyId: "central-test",
    signature: "AAAA",
  };
}
