import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createPrng, silentLogger, startAll, stopAll, systemClock } from "@kiosk/contracts";
import { createTestCentral, testBackends, type TestDatabase } from "@kiosk/central/testing";
import { openKioskStorage, syncConfigSchema } from "@kiosk/edge-server";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { checkDelivery, type CheckedKiosk } from "./checker.ts";
import { waitFor } from "./managed-process.ts";
import { syntheticResult } from "./synthetic-result.ts";

// The checker must not be vacuous: a clean delivery checks out, and each kind of damage is seen.
describe("checkDelivery", () => {
  const KIOSK_ID = "check-k1";
  let dir: string;
  let central: TestDatabase;
  let centralPublicKey: Uint8Array;
  let kiosk: CheckedKiosk;
  const eventIds: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chaos-checker-"));
    const sqlite = testBackends().find((b) => b.name === "sqlite");
    central = await (sqlite as NonNullable<typeof sqlite>).create();
    const service = await createTestCentral(central);
    centralPublicKey = service.signer.publicKey;
    const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: service.app.fetch });
    const signingKeyFile = join(dir, "signing.key");
    const signer = await loadOrCreateSigningKey(signingKeyFile);
    await service.services.directory.register({ kioskId: KIOSK_ID, hallId: "hall", publicKey: signer.publicKey }, service.clock.now());
    const dbPath = join(dir, "kiosk.db");
    const storage = await openKioskStorage(
      {
        kioskId: KIOSK_ID,
        central: { url: server.url.href, requestTimeoutMs: 2000 },
        sync: syncConfigSchema.parse({
          dbPath,
          dataKeyFile: join(dir, "data.key"),
          signingKeyFile,
          centralPublicKey: Buffer.from(service.signer.publicKey).toString("base64"),
          disk: { minFreeBytes: 0 },
          batch: {},
          backoff: { baseMs: 10, capMs: 100 },
          syncDown: {},
        }),
      },
      { clock: systemClock, log: silentLogger },
    );
    await startAll(storage.services, silentLogger);
    const journalPath = join(dir, "journal.txt");
    const random = createPrng(1);
    for (let i = 0; i < 3; i++) {
      const saved = await storage.store.saveVersionedResult(syntheticResult(KIOSK_ID, random, Date.now()));
      appendFileSync(journalPath, `${saved.eventId} ${saved.epoch} ${saved.seq}\n`);
      eventIds.push(saved.eventId);
    }
    expect(await waitFor(() => storage.outbox.stats().backlog === 0, 10_000)).toBe(true);
    await stopAll(storage.services, silentLogger);
    await server.stop(true);
    kiosk = { kioskId: KIOSK_ID, dbPath, journalPath };
  });

  afterAll(async () => {
    await central.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a clean delivery: nothing lost or duplicated, every receipt verifies", async () => {
    const report = await checkDelivery([kiosk], { sqlitePath: central.target.sqlitePath }, centralPublicKey, []);
    expect(report).toMatchObject({ saved: 3, committed: 3, lost: 0, duplicated: 0, committedNotDelivered: 0, unmatchedAtCentral: 0, pending: 0, forgedStored: 0 });
    expect(report.receipts.checked).toBeGreaterThan(0);
    expect(report.receipts.invalid).toBe(0);
  });

  test("sees a forged event id stored, and a receipt altered after central signed it", async () => {
    const report = await checkDelivery([kiosk], { sqlitePath: central.target.sqlitePath }, centralPublicKey, [eventIds[0] as string]);
    expect(report.forgedStored).toBe(1);
    const db = new Database(kiosk.dbPath, { strict: true });
    db.run("UPDATE receipts SET ack_through = ack_through + 1");
    db.close();
    const tampered = await checkDelivery([kiosk], { sqlitePath: central.target.sqlitePath }, centralPublicKey, []);
    expect(tampered.receipts.invalid).toBe(tampered.receipts.checked);
  });

  test("sees a result saved twice in the journal and a result missing at central", async () => {
    const first = eventIds[0] as string;
    appendFileSync(kiosk.journalPath, `${first} 1 1\n`);
    await central.sql`delete from upstream_records where event_id = ${eventIds[1] as string}`;
    const report = await checkDelivery([kiosk], { sqlitePath: central.target.sqlitePath }, centralPublicKey, []);
    expect(report.duplicated).toBe(1);
    expect(report.lost).toBe(1);
    expect(report.committedNotDelivered).toBe(1);
  });
});
