import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner, heartbeatAckSchema, problemSchema } from "@kiosk/contracts";
import { createTestCentral, type TestCentral } from "../testing/test-central.ts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { TestKiosk, type SignedTestRequest } from "../testing/test-kiosk.ts";

async function send(central: TestCentral, request: SignedTestRequest): Promise<Response> {
  return central.app.request(request.path, request.init);
}

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return problemSchema.parse(await res.json());
}

async function storedKioskIds(central: TestCentral): Promise<string[]> {
  const list = (await (await central.app.request("/api/v1/kiosks")).json()) as { kiosks: Array<{ kioskId: string }> };
  return list.kiosks.map((k) => k.kioskId);
}

for (const backend of testBackends()) {
  describe(`signed heartbeats on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function setup() {
      db = await backend.create();
      const central = await createTestCentral(db);
      const kiosk = await TestKiosk.create("hall-7-k2", { clock: central.clock });
      await central.register(kiosk);
      return { central, kiosk };
    }

    test("stores a signed heartbeat, lists it, and shows the kiosk online on the console", async () => {
      const { central, kiosk } = await setup();
      const request = await kiosk.heartbeat();
      expect(request.path).toBe("/api/v1/kiosks/hall-7-k2/heartbeats");
      await central.clock.advance(2000);
      const res = await send(central, request);
      expect(res.status).toBe(200);
      expect(heartbeatAckSchema.parse(await res.json())).toEqual({ receivedAt: "2026-11-23T08:00:02.000Z" });

      const list = (await (await central.app.request("/api/v1/kiosks")).json()) as { kiosks: Array<{ kioskId: string; status: string }> };
      expect(list.kiosks.map((k) => [k.kioskId, k.status])).toEqual([["hall-7-k2", "ok"]]);
      const page = await (await central.app.request("/")).text();
      expect(page).toContain('data-kiosk-id="hall-7-k2"');
      expect(page).toContain("在线 online");
      await central.clock.advance(120_000);
      expect(await (await central.app.request("/")).text()).toContain("离线 offline");
    });

    test("an unsigned heartbeat, or one from an unknown kiosk, is refused with 401 and nothing is stored", async () => {
      const { central, kiosk } = await setup();
      const request = await kiosk.heartbeat();
      const unsigned = { method: "POST", headers: { "Content-Type": "application/json" }, body: request.body.slice() };
      expect((await problem(await central.app.request(request.path, unsigned), 401)).detail).toContain("missing header");

      const stranger = await TestKiosk.create("hall-9-k1", { clock: central.clock });
      const unknown = await problem(await send(central, await stranger.heartbeat()), 401);
      expect([unknown.code, unknown.detail]).toEqual(["unauthorized", expect.stringContaining("is not registered at central")]);
      expect(await storedKioskIds(central)).toEqual([]);
    });

    test("a heartbeat signed with another kiosk's key, or with a forged signature, is refused and nothing is stored", async () => {
      const { central, kiosk } = await setup();
      const other = await TestKiosk.create("hall-7-k3", { clock: central.clock });
      await central.register(other);
      // Kiosk k3 signs a heartbeat for k2's path: its key is not k2's.
      const impostor = await problem(await send(central, await other.heartbeat({ asKioskId: "hall-7-k2", fields: { kioskId: "hall-7-k2" } })), 401);
      expect(impostor.detail).toContain("belongs to another kiosk");

      const stolenKeyId = await kiosk.heartbeat({ signer: await generateSigner() });
      const forged = { ...stolenKeyId.init, headers: { ...stolenKeyId.init.headers, "X-Kiosk-Key-Id": kiosk.signer.keyId } };
      expect((await problem(await central.app.request(stolenKeyId.path, forged), 401)).detail).toContain("does not verify");

      // A signed heartbeat whose body was changed after signing.
      const altered = await kiosk.heartbeat();
      const body = new TextDecoder().decode(altered.body).replace('"status":"ok"', '"status":"degraded"');
      expect((await problem(await central.app.request(altered.path, { ...altered.init, body }), 401)).detail).toContain("does not match the body");
      expect(await storedKioskIds(central)).toEqual([]);
    });

    test("a replayed or expired heartbeat is refused with 401 and its problem type", async () => {
      const { central, kiosk } = await setup();
      const request = await kiosk.heartbeat();
      expect((await send(central, request)).status).toBe(200);
      const replay = await problem(await send(central, request), 401);
      expect(replay.code).toBe("request-replayed");

      const stale = await kiosk.heartbeat({ timestamp: new Date(central.clock.now() - 10 * 60_000).toISOString() });
      const expired = await problem(await send(central, stale), 401);
      expect(expired.code).toBe("request-expired");
      expect(expired.details).toMatchObject({ centralTime: "2026-11-23T08:00:00.000Z" });
      expect(await storedKioskIds(central)).toEqual(["hall-7-k2"]);
    });

    test("a signed heartbeat naming another kiosk than its path is a bad request and is not stored", async () => {
      const { central, kiosk } = await setup();
      const mismatch = await problem(await send(central, await kiosk.heartbeat({ fields: { kioskId: "hall-7-k3" } })), 400);
      expect([mismatch.code, mismatch.detail]).toEqual(["bad-request", 'Heartbeat of kiosk "hall-7-k3" sent to the path of kiosk "hall-7-k2"']);
      expect(await storedKioskIds(central)).toEqual([]);
    });

    test("a signed heartbeat that is malformed, not JSON or too large is refused and nothing is stored", async () => {
      const { central, kiosk } = await setup();
      const bad = await problem(await send(central, await kiosk.heartbeat({ fields: { uptimeS: -1 } })), 400);
      expect(bad.detail).toContain('"uptimeS"');
      const textPlain = await kiosk.heartbeat();
      const asText = { ...textPlain.init, headers: { ...textPlain.init.headers, "Content-Type": "text/plain" } };
      expect((await problem(await central.app.request(textPlain.path, asText), 415)).code).toBe("unsupported-media-type");
      const huge = await problem(await send(central, await kiosk.heartbeat({ fields: { version: "x".repeat(20_000) } })), 413);
      expect(huge.code).toBe("payload-too-large");
      expect(await storedKioskIds(central)).toEqual([]);
    });

    test("the old unsigned route is gone", async () => {
      const { central, kiosk } = await setup();
      const request = await kiosk.heartbeat();
      expect((await problem(await central.app.request("/api/v1/heartbeats", request.init), 404)).code).toBe("not-found");
    });
  });
}
