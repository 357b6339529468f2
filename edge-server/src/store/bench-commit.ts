/**
 * Measures how long saving one verification result takes on this machine's
 * disk, end to end: validate, sign, chain, seal and commit with fsync
 * (`synchronous=FULL`). For `./kiosk bench sync`.
 */
import { generateSigner, silentLogger, systemClock, type Signature, type VerificationResult } from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAesGcmSealer } from "./data-sealer.ts";
import { openDatabase } from "./db.ts";
import { DiskBudget, fileDiskProbe } from "./disk-budget.ts";
import { KioskStore } from "./kiosk-store.ts";

/** Commit-time figures, in milliseconds. */
export interface CommitBench {
  readonly samples: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Where the database was (the disk measured). */
  readonly dir: string;
}

/** A signature of the size a person signs on the kiosk (one stroke of 300 points), for the store benchmarks. */
export const BENCH_SIGNATURE: Signature = {
  width: 1000,
  height: 400,
  strokes: [Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? i : 200 + (i % 100)))],
  capturedAt: "2026-01-01T00:00:55.000Z",
};

function result(kioskId: string): VerificationResult {
  return {
    sessionId: crypto.randomUUID(),
    kioskId,
    outcome: "verified",
    card: { cardType: "resident", idNumber: "11010519491231002X", name: "测试", sex: "female", birthDate: "1949-12-31", validUntil: "long-term" },
    face: { model: "bench", threshold: 0.6, similarity: 0.8, liveness: { mode: "both", passed: true, actions: ["blink"] } },
    attempts: [{ outcome: "matched", reasons: [] }],
    matters: [{ matterId: "M-1", role: "legal-representative" }],
    signature: BENCH_SIGNATURE,
    startedAt: "2026-01-01T00:00:00.000Z",
    completedAt: "2026-01-01T00:01:00.000Z",
  };
}

/**
 * Saves `samples` results one after another into a fresh database under
 * `parentDir` (default: the OS temporary directory; pass a folder on the
 * kiosk's data disk to measure that disk) and reports the time per save.
 */
export async function benchCommitTime(options: { samples?: number; parentDir?: string } = {}): Promise<CommitBench> {
  const samples = options.samples ?? 200;
  const dir = mkdtempSync(join(options.parentDir ?? tmpdir(), "kiosk-bench-"));
  const path = join(dir, "bench.db");
  const db = openDatabase(path);
  try {
    const key = (await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"])) as CryptoKey;
    const disk = new DiskBudget(fileDiskProbe(path), { budgetBytes: 1 << 30, softWatermark: 0.9, hardWatermark: 0.95, minFreeBytes: 0 }, silentLogger);
    const store = await KioskStore.open({
      db,
      kioskId: "bench-kiosk",
      signer: await generateSigner(),
      sealer: await createAesGcmSealer(key),
      disk,
      clock: systemClock,
      log: silentLogger,
      bootId: crypto.randomUUID(),
    });
    await store.saveResult(result("bench-kiosk"));
    const times: number[] = [];
    for (let i = 0; i < samples; i++) {
      const r = result("bench-kiosk");
      const started = performance.now();
      await store.saveResult(r);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
    return { samples, medianMs: at(0.5), p95Ms: at(0.95), maxMs: times[times.length - 1] ?? 0, dir: options.parentDir ?? tmpdir() };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
