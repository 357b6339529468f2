import { afterEach, describe, expect, test } from "bun:test";
import { problemSchema, type Heartbeat } from "@kiosk/contracts";
import { createTestCentral } from "./testing/test-central.ts";
import { testBackends, type TestDatabase } from "./testing/test-databases.ts";

const at = "2026-11-23T08:00:00.000Z";
const heartbeat: Heartbeat = {
  kioskId: "hall-7-k2",
  bootId: "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
  seq: 1,
  sentAt: at,
  version: "0.1.0",
  uptimeS: 3,
  status: "ok",
  devices: { idcardReader: { kind: "simulated", state: "ready", since: at }, camera: { kind: "replay", state: "ready", since: at } },
};

function post(body: string, type = "application/json"): RequestInit {
  return { method: "POST", headers: { "content-type": type }, body };
}

async function problemCode(res: Response): Promise<string> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return problemSchema.parse(await res.json()).code;
}

for (const backend of testBackends()) {
  describe(`central app on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function setup() {
      db = await backend.create();
      const { app, clock, records } = await createTestCentral(db, { nowMs: Date.parse(at) + 2000 });
      return { app, clock, records };
    }

    test("stores a heartbeat, lists it, and shows it on the console", async () => {
      const { app, clock } = await setup();
      const res = await app.request("/api/v1/heartbeats", post(JSON.stringify(heartbeat)));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ receivedAt: "2026-11-23T08:00:02.000Z" });

      const list = (await (await app.request("/api/v1/kiosks")).json()) as { kiosks: Array<{ kioskId: string; status: string }> };
      expect(list.kiosks.map((k) => [k.kioskId, k.status])).toEqual([["hall-7-k2", "ok"]]);

      const page = await (await app.request("/")).text();
      expect(page).toContain('data-kiosk-id="hall-7-k2"');
      expect(page).toContain("在线 online");
      await clock.advance(120_000);
      expect(await (await app.request("/")).text()).toContain("离线 offline");
    });

    test("rejects malformed heartbeats with a clear problem and stores nothing", async () => {
      const { app } = await setup();
      expect(await problemCode(await app.request("/api/v1/heartbeats", post("{not json")))).toBe("bad-request");
      const bad = await app.request("/api/v1/heartbeats", post(JSON.stringify({ ...heartbeat, kioskId: "Bad Id!" })));
      expect(bad.status).toBe(400);
      expect(problemSchema.parse(await bad.json()).detail).toContain('"kioskId"');
      expect(await problemCode(await app.request("/api/v1/heartbeats", post(JSON.stringify(heartbeat), "text/plain")))).toBe(
        "unsupported-media-type",
      );
      const huge = JSON.stringify({ ...heartbeat, version: "x".repeat(20_000) });
      expect(await problemCode(await app.request("/api/v1/heartbeats", post(huge)))).toBe("payload-too-large");
      const list = (await (await app.request("/api/v1/kiosks")).json()) as { kiosks: unknown[] };
      expect(list.kiosks).toEqual([]);
    });

    test("health reports the database, and a dead database is a store-failed problem", async () => {
      const { app, records } = await setup();
      expect(await (await app.request("/api/health")).json()).toEqual({ service: "central", status: "ok", database: backend.name });
      await db?.close();
      const res = await app.request("/api/health");
      expect(res.status).toBe(500);
      expect(await problemCode(res)).toBe("store-failed");
      expect(records.some((r) => r.level === "error")).toBe(true);
    });
  });
}
