import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestCentral, testBackends, type TestDatabase } from "@kiosk/central/testing";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import { HeartbeatSender, HttpCentralClient, openKioskStorage, syncConfigSchema, type KioskStorage } from "@kiosk/edge-server";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { waitFor } from "../sync-chaos/managed-process.ts";

const KIOSK_ID = "hall-3-k1";
const CENTRAL_NOW = "2026-11-23T08:00:00.000Z";
const since = CENTRAL_NOW;
const devices = { idcardReader: { kind: "simulated", state: "ready", since }, camera: { kind: "replay", state: "ready", since } } as const;

let cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A kiosk's data folder, and central on SQLite served over real HTTP; all removed after the test. */
async function centralOverHttp() {
  const dir = mkdtempSync(join(tmpdir(), "signed-heartbeats-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const sqlite = testBackends().find((b) => b.name === "sqlite");
  const db: TestDatabase = await (sqlite as NonNullable<typeof sqlite>).create();
  cleanup.push(() => db.dispose());
  const central = await createTestCentral(db, { nowMs: Date.parse(CENTRAL_NOW) });
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: central.app.fetch });
  cleanup.push(() => server.stop(true));
  return { dir, central, server };
}

// The edge's heartbeat sender against a real central (SQLite) over HTTP, signing with the key file the storage loads.
describe("signed heartbeats from the edge to central", () => {
  test("are stored by central, after one corrected retry when the kiosk clock is outside central's window", async () => {
    const { dir, central, server } = await centralOverHttp();
    const signingKeyFile = join(dir, "signing.key");
    const key = await loadOrCreateSigningKey(signingKeyFile);
    await central.services.directory.register({ kioskId: KIOSK_ID, hallId: "hall-3", publicKey: key.publicKey }, central.clock.now());

    // The kiosk clock is ten minutes behind central's: beyond the 300 s window.
    const clock = new FakeClock(Date.parse(CENTRAL_NOW) - 10 * 60_000);
    const { log, records } = captureLogger("debug");
    const sync = syncConfigSchema.parse({ dbPath: join(dir, "kiosk.db"), dataKeyFile: join(dir, "data.key"), signingKeyFile, disk: {}, batch: {}, backoff: {}, syncDown: {} });
    const storage: KioskStorage = await openKioskStorage({ kioskId: KIOSK_ID, central: { url: server.url.href, requestTimeoutMs: 2000 }, sync }, { clock, log });
    cleanup.push(() => storage.services[0]?.stop());
    const sender = new HeartbeatSender({
      kioskId: KIOSK_ID,
      version: "0.1.0",
      bootId: crypto.randomUUID(),
      intervalMs: 60_000,
      startedAtMs: clock.now(),
      clock,
      central: new HttpCentralClient({ url: server.url.href, requests: storage.requests }),
      status: () => ({ status: "ok", devices }),
      log,
    });
    cleanup.push(() => sender.stop());

    await sender.start();
    await clock.advance(0);
    expect(await waitFor(() => sender.state.lastHeartbeatAt !== null, 5_000)).toBe(true);
    expect(sender.state).toEqual({ lastHeartbeatAt: CENTRAL_NOW, lastError: null, consecutiveFailures: 0 });
    const corrections = () => records.filter((r) => r.msg.startsWith("central refused a request as stamped outside its clock window"));
    expect(corrections()).toHaveLength(1);
    expect(central.records.filter((r) => r.msg === "request refused: stale or replayed")).toHaveLength(1);

    // The next beat is stamped on central's clock from the start: no second refusal.
    await central.clock.advance(60_000);
    await clock.advance(60_000);
    expect(await waitFor(() => sender.state.lastHeartbeatAt === "2026-11-23T08:01:00.000Z", 5_000)).toBe(true);
    expect(corrections()).toHaveLength(1);
    const list = (await (await central.app.request("/api/v1/kiosks")).json()) as { kiosks: Array<{ kioskId: string; status: string }> };
    expect(list.kiosks.map((k) => [k.kioskId, k.status])).toEqual([[KIOSK_ID, "ok"]]);
  });

  test("are refused by central while the kiosk's key is not registered, and nothing is stored", async () => {
    const { dir, central, server } = await centralOverHttp();
    const clock = new FakeClock(Date.parse(CENTRAL_NOW));
    const { log } = captureLogger();
    const sync = syncConfigSchema.parse({ dbPath: join(dir, "kiosk.db"), dataKeyFile: join(dir, "data.key"), signingKeyFile: join(dir, "signing.key"), disk: {}, batch: {}, backoff: {}, syncDown: {} });
    const storage = await openKioskStorage({ kioskId: KIOSK_ID, central: { url: server.url.href, requestTimeoutMs: 2000 }, sync }, { clock, log });
    cleanup.push(() => storage.services[0]?.stop());
    const client = new HttpCentralClient({ url: server.url.href, requests: storage.requests });
    const error = await client.sendHeartbeat({ kioskId: KIOSK_ID, bootId: crypto.randomUUID(), seq: 1, sentAt: CENTRAL_NOW, version: "0.1.0", uptimeS: 0, status: "ok", devices }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "central-rejected", message: expect.stringContaining("401") });
    const list = (await (await central.app.request("/api/v1/kiosks")).json()) as { kiosks: unknown[] };
    expect(list.kiosks).toEqual([]);
  });
});
