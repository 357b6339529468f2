import { afterEach, describe, expect, test } from "bun:test";
import type { Heartbeat } from "@kiosk/contracts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { HeartbeatStore } from "./heartbeat-store.ts";

const at = "2026-11-23T08:00:00.000Z";
function heartbeat(kioskId: string, seq: number, status: Heartbeat["status"] = "ok"): Heartbeat {
  return {
    kioskId,
    bootId: "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
    seq,
    sentAt: at,
    version: "0.1.0",
    uptimeS: seq * 30,
    status,
    devices: { idcardReader: { kind: "serial", state: "ready", since: at, detail: "/dev/ttyUSB0" }, camera: { kind: "v4l2", state: "ready", since: at } },
  };
}

for (const backend of testBackends()) {
  describe(`HeartbeatStore on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    test("keeps the latest heartbeat of each kiosk and counts them", async () => {
      db = await backend.create();
      const store = new HeartbeatStore(db);
      const t0 = Date.parse(at);
      await store.record(heartbeat("hall-1-k1", 1), t0);
      await store.record(heartbeat("hall-1-k2", 1), t0 + 500);
      await store.record(heartbeat("hall-1-k1", 2, "degraded"), t0 + 1000);
      const kiosks = await store.list();
      expect(kiosks.map((k) => k.kioskId)).toEqual(["hall-1-k1", "hall-1-k2"]);
      expect(kiosks[0]).toEqual({
        kioskId: "hall-1-k1",
        firstSeenAt: "2026-11-23T08:00:00.000Z",
        lastSeenAt: "2026-11-23T08:00:01.000Z",
        sentAt: at,
        bootId: "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
        seq: 2,
        status: "degraded",
        version: "0.1.0",
        uptimeS: 60,
        devices: heartbeat("hall-1-k1", 2).devices,
        heartbeatCount: 2,
      });
    });

    test("ignores a heartbeat that arrives after a later one", async () => {
      db = await backend.create();
      const store = new HeartbeatStore(db);
      const t0 = Date.parse(at);
      await store.record(heartbeat("hall-1-k1", 5), t0 + 1000);
      await store.record(heartbeat("hall-1-k1", 4, "out-of-service"), t0);
      const [kiosk] = await store.list();
      expect(kiosk?.seq).toBe(5);
      expect(kiosk?.status).toBe("ok");
    });
  });
}
