/**
 * Measures how fast the real kiosk sender drains a backlog into a running
 * central: records saved by the real store (signed, chained, sealed), then
 * the real `OutboxSender` posts them over HTTP (one batch in flight, gzip,
 * request signature), verifies every receipt and settles the rows with
 * `synchronous=FULL`. For `./kiosk bench sync`.
 */
import { generateSigner, MAX_BATCH_BYTES, MAX_BATCH_RECORDS, silentLogger, systemClock, type Signer, type VerificationResult } from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FetchUpstreamClient } from "../adapters/upstream-client-fetch.ts";
import { importCentralKey } from "../outbox/central-key.ts";
import type { OutboxRepository } from "../outbox/outbox-repository.ts";
import { CentralClock } from "../outbox/central-clock.ts";
import { OutboxSender } from "../outbox/outbox-sender.ts";
import { createAesGcmSealer } from "./data-sealer.ts";
import { openDatabase } from "./db.ts";
import { DiskBudget, fileDiskProbe } from "./disk-budget.ts";
import { BENCH_SIGNATURE } from "./bench-commit.ts";
import { KioskStore } from "./kiosk-store.ts";
import { SqliteOutbox } from "./sqlite-outbox.ts";

/** Settings of {@linkcode benchDrain}. */
export interface DrainBenchOptions {
  readonly kioskId: string;
  /** Records in the backlog. */
  readonly records: number;
  /** Central's base URL. */
  readonly centralUrl: string;
  /** Central's receipt public key (raw Ed25519, base64) and its key id. */
  readonly centralPublicKey: string;
  readonly centralKeyId?: string;
  /** Registers the kiosk's public key at central before the drain starts. */
  readonly register: (signer: Signer) => Promise<void>;
  /** Folder for the kiosk database (default: the OS temporary directory). */
  readonly parentDir?: string;
  /** Longest wait for the drain, in milliseconds (default 10 minutes). */
  readonly timeoutMs?: number;
}

/** What {@linkcode benchDrain} measured. */
export interface DrainBench {
  readonly records: number;
  /** Seconds from the sender's start until the last record was acknowledged. */
  readonly seconds: number;
  readonly recordsPerSec: number;
  /** Seconds spent saving the backlog beforehand (not measured; fsync off while filling). */
  readonly fillSeconds: number;
}

function result(kioskId: string, n: number): VerificationResult {
  return {
    sessionId: crypto.randomUUID(),
    kioskId,
    outcome: n % 10 === 0 ? "declined" : "verified",
    ...(n % 10 === 0 ? { referralCode: `R${String(n % 100_000).padStart(5, "0")}` } : {}),
    card: { cardType: "resident", idNumber: "11010519491231002X", name: "测试", sex: "female", birthDate: "1949-12-31", validUntil: "long-term" },
    face: { model: "bench", threshold: 0.6, similarity: 0.8, liveness: { mode: "both", passed: true, actions: ["blink"] } },
    attempts: [{ outcome: "matched", reasons: [] }],
    matters: [{ matterId: `M-${n}`, role: "legal-representative" }],
    ...(n % 10 === 0 ? {} : { signature: BENCH_SIGNATURE }),
    startedAt: "2026-01-01T00:00:00.000Z",
    completedAt: "2026-01-01T00:01:00.000Z",
  };
}

/**
 * Saves `records` results into a fresh kiosk database, then drains them into
 * central with the real sender and reports the rate.
 * @throws {Error} when the drain stalls, times out, or quarantines a record.
 */
export async function benchDrain(options: DrainBenchOptions): Promise<DrainBench> {
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), "kiosk-drain-"));
  const path = join(dir, "kiosk.db");
  const db = openDatabase(path);
  let sender: OutboxSender | undefined;
  try {
    const signer = await generateSigner();
    const key = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])) as CryptoKey;
    const sealer = await createAesGcmSealer(key);
    const disk = new DiskBudget(fileDiskProbe(path), { budgetBytes: 64 * 2 ** 30, softWatermark: 0.9, hardWatermark: 0.95, minFreeBytes: 0 }, silentLogger);
    const store = await KioskStore.open({ db, kioskId: options.kioskId, signer, sealer, disk, clock: systemClock, log: silentLogger, bootId: crypto.randomUUID() });

    // Filling is not what is measured: a backlog builds up over days of human-paced commits.
    const fillStarted = performance.now();
    db.run("PRAGMA synchronous = OFF");
    for (let i = 0; i < options.records; i++) await store.saveResult(result(options.kioskId, i));
    db.run("PRAGMA synchronous = FULL");
    db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    const fillSeconds = (performance.now() - fillStarted) / 1000;

    await options.register(signer);
    const outbox = new SqliteOutbox(db, sealer, silentLogger);
    // The sender finds the outbox empty exactly when it is drained: no polling of counts over a large table.
    let emptyAt: number | undefined;
    const repository: OutboxRepository = {
      nextBatch: async (maxRecords, maxBytes, after) => {
        const batch = await outbox.nextBatch(maxRecords, maxBytes, after);
        // A read-ahead past the batch in flight finding nothing does not mean drained.
        if (!batch && !after) emptyAt ??= performance.now();
        return batch;
      },
      pendingHead: (maxRecords) => outbox.pendingHead(maxRecords),
      lastSeq: (kioskId, epoch) => outbox.lastSeq(kioskId, epoch),
      settle: (settlement) => outbox.settle(settlement),
      stats: () => outbox.stats(),
    };
    sender = new OutboxSender({
      repository,
      upstream: new FetchUpstreamClient({ url: options.centralUrl, timeoutMs: 60_000 }),
      signer,
      centralClock: new CentralClock(systemClock),
      central: await importCentralKey(options.centralPublicKey, options.centralKeyId),
      clock: systemClock,
      log: silentLogger,
      maxRecords: MAX_BATCH_RECORDS,
      maxBytes: MAX_BATCH_BYTES,
      backoff: { baseMs: 100, capMs: 1000 },
      idlePollMs: 60_000,
    });
    const started = performance.now();
    await sender.start();
    const deadline = started + (options.timeoutMs ?? 600_000);
    while (emptyAt === undefined) {
      if (performance.now() > deadline) {
        throw new Error(`The drain timed out with ${outbox.stats().backlog} records left: ${sender.state.lastError?.message ?? "no error"}`);
      }
      await Bun.sleep(5);
    }
    const seconds = ((emptyAt as number) - started) / 1000;
    const stats = outbox.stats();
    if (stats.backlog > 0 || stats.quarantined > 0) {
      throw new Error(`The drain left ${stats.backlog} records pending and ${stats.quarantined} quarantined: ${sender.state.lastError?.message ?? "no error"}`);
    }
    return {
      records: options.records,
      seconds: Math.round(seconds * 1000) / 1000,
      recordsPerSec: Math.round(options.records / seconds),
      fillSeconds: Math.round(fillSeconds * 10) / 10,
    };
  } finally {
    await sender?.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
