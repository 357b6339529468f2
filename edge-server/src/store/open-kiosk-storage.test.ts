import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner, isKioskError, outboxHealthSchema, startAll, stopAll, syncDownHealthSchema, type Signer } from "@kiosk/contracts";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import { statSync } from "node:fs";
import { join } from "node:path";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { makeTestCertificates } from "@kiosk/runtime/testing";
import { FakeCentral } from "../outbox/testing/fake-central.ts";
import { syncConfigSchema, type SyncConfig } from "../sync-config.ts";
import { openKioskStorage, type KioskStorage } from "./open-kiosk-storage.ts";
import { sampleResult, tempDir } from "./testing/store-fixtures.ts";

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function syncConfig(dir: string, central?: Signer, extra: Record<string, unknown> = {}): SyncConfig {
  return syncConfigSchema.parse({
    dbPath: join(dir, "kiosk.db"),
    dataKeyFile: join(dir, "keys", "data.key"),
    signingKeyFile: join(dir, "keys", "signing.key"),
    ...(central ? { centralPublicKey: Buffer.from(central.publicKey).toString("base64"), centralKeyId: central.keyId } : {}),
    disk: {},
    batch: {},
    backoff: {},
    syncDown: {},
    ...extra,
  });
}

async function open(sync: SyncConfig, url = "http://127.0.0.1:9", kioskId = "hall-7-k1"): Promise<{ storage: KioskStorage; clock: FakeClock }> {
  const clock = new FakeClock(Date.parse("2026-03-01T08:00:00.000Z"));
  const { log } = captureLogger("debug");
  const storage = await openKioskStorage({ kioskId, central: { url, requestTimeoutMs: 2000 }, sync }, { clock, log, random: () => 0.5 });
  cleanup.push(() => stopAll(storage.services, log));
  return { storage, clock };
}

describe("openKioskStorage", () => {
  test("creates 0600 key files, saves, delivers to central, and reports health in the contract's shape", async () => {
    const { dir, remove } = tempDir();
    cleanup.push(remove);
    const receiptSigner = await generateSigner();
    const sync = syncConfig(dir, receiptSigner);
    // The kiosk key central knows (enrolment), from the same file the storage will use.
    const kioskKey = await loadOrCreateSigningKey(sync.signingKeyFile);
    const central = await FakeCentral.start({ receiptSigner, kioskPublicKey: kioskKey.publicKey });
    cleanup.push(() => central.stop());
    const { storage, clock } = await open(sync, central.url);
    expect(statSync(sync.dataKeyFile).mode & 0o777).toBe(0o600);
    expect(statSync(sync.signingKeyFile).mode & 0o777).toBe(0o600);
    await startAll(storage.services, captureLogger().log);
    expect((await storage.store.saveResult(sampleResult())).seq).toBe(1);
    await clock.advance(0);
    await storage.sender.whenIdle();
    await storage.syncDown.whenIdle();
    expect(central.batches).toHaveLength(1);
    expect(central.batches[0]?.signatureValid).toBe(true);
    const status = storage.status();
    expect(status.acceptingResults).toBe(true);
    expect(outboxHealthSchema.parse(status.outbox)).toMatchObject({ backlog: 0, quarantined: 0, lastAckAt: "2026-03-01T08:00:00.000Z" });
    // This fake central has no sync route: the failure is reported, not thrown.
    expect(syncDownHealthSchema.parse(status.syncDown).lastError?.code).toBe("central-rejected");
  });

  test("without central's key, results are kept and the health report says why nothing is sent", async () => {
    const { dir, remove } = tempDir();
    cleanup.push(remove);
    const { storage, clock } = await open(syncConfig(dir));
    await startAll(storage.services, captureLogger().log);
    await storage.store.saveResult(sampleResult());
    await clock.advance(120_000);
    const status = storage.status();
    expect(status.outbox).toMatchObject({ backlog: 1, oldestPendingAgeS: 120, lastError: { code: "config-invalid" } });
    expect(status.syncDown.lastError?.code).toBe("config-invalid");
  });

  test("a central key id that does not match the key, or a database of another kiosk, is config-invalid", async () => {
    const { dir, remove } = tempDir();
    cleanup.push(remove);
    const signer = await generateSigner();
    const mismatched = syncConfig(dir, signer, { centralKeyId: "ed25519:00000000000000000000000000000000" });
    try {
      await open(mismatched);
      throw new Error("expected a failure");
    } catch (error) {
      expect(isKioskError(error, "config-invalid")).toBe(true);
    }
    const sync = syncConfig(dir, signer);
    const first = await open(sync);
    await stopAll(first.storage.services, captureLogger().log);
    cleanup.pop();
    try {
      await open(sync, undefined, "hall-9-k9");
      throw new Error("expected a failure");
    } catch (error) {
      expect(isKioskError(error, "config-invalid")).toBe(true);
    }
    // The refused open closed its connection: the file opens again.
    const again = await open(sync);
    expect(again.storage.store.identity().kioskId).toBe("hall-7-k1");
  });

  test("over HTTPS the kiosk delivers only to a central whose certificate verifies with central.caFile; another CA is central-untrusted", async () => {
    const certs = makeTestCertificates();
    cleanup.push(() => certs.remove());
    const { dir, remove } = tempDir();
    cleanup.push(remove);
    const receiptSigner = await generateSigner();
    const sync = syncConfig(dir, receiptSigner);
    const kioskKey = await loadOrCreateSigningKey(sync.signingKeyFile);
    const central = await FakeCentral.start({ receiptSigner, kioskPublicKey: kioskKey.publicKey, tls: { cert: certs.cert, key: certs.key } });
    cleanup.push(() => central.stop());
    expect(central.url).toStartWith("https://127.0.0.1:");
    const clock = new FakeClock(Date.parse("2026-03-01T08:00:00.000Z"));
    const { log } = captureLogger("debug");
    const run = async (caFile: string) => {
      const storage = await openKioskStorage({ kioskId: "hall-7-k1", central: { url: central.url, caFile, requestTimeoutMs: 2000 }, sync }, { clock, log, random: () => 0.5 });
      await startAll(storage.services, log);
      await clock.advance(0);
      await storage.sender.whenIdle();
      const status = storage.status();
      await stopAll(storage.services, log);
      return status;
    };
    // An unrelated CA: the TLS handshake fails, nothing reaches central, and the reason is typed.
    const first = await openKioskStorage({ kioskId: "hall-7-k1", central: { url: central.url, caFile: certs.otherCaFile, requestTimeoutMs: 2000 }, sync }, { clock, log });
    await first.store.saveResult(sampleResult());
    await stopAll(first.services, log);
    const refused = await run(certs.otherCaFile);
    expect(central.batches).toHaveLength(0);
    expect(refused.outbox).toMatchObject({ backlog: 1, lastError: { code: "central-untrusted" } });
    expect(refused.outbox.lastError?.message).toContain("does not verify with central.caFile");
    // The right CA: the batch goes over HTTPS and central's receipt acknowledges it.
    const delivered = await run(certs.caFile);
    expect(central.batches).toHaveLength(1);
    expect(central.batches[0]?.signatureValid).toBe(true);
    expect(delivered.outbox).toMatchObject({ backlog: 0, lastError: null, lastAckAt: "2026-03-01T08:00:00.000Z" });
  });

  test("an unreadable central.caFile is config-invalid", async () => {
    const { dir, remove } = tempDir();
    cleanup.push(remove);
    const error = await openKioskStorage(
      { kioskId: "hall-7-k1", central: { url: "https://127.0.0.1:9", caFile: join(dir, "missing.pem"), requestTimeoutMs: 2000 }, sync: syncConfig(dir) },
      { clock: new FakeClock(0), log: captureLogger().log },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isKioskError(error, "config-invalid")).toBe(true);
    expect((error as Error).message).toContain("central.caFile");
  });

  test("refuses new results when storage is above the hard watermark, with the reason in the status", async () => {
    const { dir, remove } = tempDir();
    cleanup.push(remove);
    const { storage } = await open(syncConfig(dir, undefined, { disk: { budgetBytes: 1 } }));
    await startAll(storage.services, captureLogger().log);
    try {
      await storage.store.saveResult(sampleResult());
      throw new Error("expected a failure");
    } catch (error) {
      expect(isKioskError(error, "store-full")).toBe(true);
    }
    const status = storage.status();
    expect(status.acceptingResults).toBe(false);
    expect(status.outOfServiceReason).toContain("Local storage is full");
    expect(status.outbox.storage).toMatchObject({ level: "hard", acceptingResults: false });
  });
});
