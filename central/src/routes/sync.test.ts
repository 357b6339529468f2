import { afterEach, describe, expect, test } from "bun:test";
import {
  fromBase64Url,
  importVerifyKey,
  MAX_SYNC_PAGE_CHANGES,
  problemSchema,
  requestSigningInput,
  sha256Hex,
  signBase64Url,
  syncPayloadSchema,
  syncResponseSchema,
  syncSigningInput,
  verifySignature,
  type MatterInput,
  type SyncPayload,
} from "@kiosk/contracts";
import { createTestCentral, type TestCentral } from "../testing/test-central.ts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { TestKiosk } from "../testing/test-kiosk.ts";

function matter(matterId: string, hallId: string, status: MatterInput["status"] = "open"): MatterInput {
  return {
    matterId,
    kind: "change",
    companyName: "测试贸易有限公司",
    hallId,
    status,
    persons: [{ idNumber: "110101198001010037", name: "测试乙", role: "director" }],
  };
}

for (const backend of testBackends()) {
  describe(`sync-down on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function setup(options: { syncPageSize?: number } = {}) {
      db = await backend.create();
      const central = await createTestCentral(db, options);
      const kiosk = await TestKiosk.create("hall-a-k1", { clock: central.clock });
      await central.register(kiosk, "hall-a");
      return { central, kiosk, matters: central.services.matters };
    }

    async function pull(central: TestCentral, kiosk: TestKiosk, cursor: number): Promise<SyncPayload> {
      const request = await kiosk.sync(cursor);
      const res = await central.app.request(request.path, request.init);
      expect(res.status).toBe(200);
      const reply = syncResponseSchema.parse(await res.json());
      const key = await importVerifyKey(central.signer.publicKey);
      expect(reply.keyId).toBe(central.signer.keyId);
      expect(await verifySignature(key, fromBase64Url(reply.signature), syncSigningInput(reply.keyId, reply.payload))).toBe(true);
      return syncPayloadSchema.parse(JSON.parse(reply.payload));
    }

    test("a signed pull returns the hall's matters and every blocklist change, signed over the exact payload", async () => {
      const { central, kiosk, matters } = await setup();
      const now = central.clock.now();
      await matters.putMatter(matter("M-1", "hall-a"), now);
      await matters.putMatter(matter("M-2", "hall-b"), now);
      await matters.listCard("110101198001010037", "stolen", now);
      await matters.putMatter(matter("M-3", "hall-a", "cancelled"), now);

      const request = await kiosk.sync(0);
      const reply = syncResponseSchema.parse(await (await central.app.request(request.path, request.init)).json());
      const key = await importVerifyKey(central.signer.publicKey);
      // The signature covers the payload text: one changed byte fails.
      const tampered = reply.payload.replace('"hall-a"', '"hall-b"');
      expect(tampered).not.toBe(reply.payload);
      expect(await verifySignature(key, fromBase64Url(reply.signature), syncSigningInput(reply.keyId, tampered))).toBe(false);

      const page = await pull(central, kiosk, 0);
      expect(page).toMatchObject({ kioskId: "hall-a-k1", hallId: "hall-a", fromCursor: 0, toCursor: 4, complete: true });
      expect(page.matters.map((m) => [m.matterId, m.status])).toEqual([
        ["M-1", "open"],
        ["M-3", "cancelled"],
      ]);
      expect(page.blocklist).toEqual([{ cardNumber: "110101198001010037", listed: true, reason: "stolen" }]);

      const nothing = await pull(central, kiosk, 4);
      expect(nothing).toMatchObject({ fromCursor: 4, toCursor: 4, complete: true, matters: [], blocklist: [] });
    });

    test("pages hold at most the page size, say whether more remain, and serve current states", async () => {
      const { central, kiosk, matters } = await setup({ syncPageSize: 3 });
      const now = central.clock.now();
      for (let i = 1; i <= 5; i++) await matters.putMatter(matter(`M-${i}`, "hall-a"), now);
      await matters.putMatter(matter("M-1", "hall-a", "closed"), now);
      await matters.delistCard("110101198001010037", now);
      await matters.listCard("110101198001010037", "lost", now);
      await matters.delistCard("110101198001010037", now);

      const first = await pull(central, kiosk, 0);
      expect([first.toCursor, first.complete]).toEqual([3, false]);
      // Current state, not the state at the change: M-1 is already closed.
      expect(first.matters.map((m) => [m.matterId, m.status])).toEqual([
        ["M-1", "closed"],
        ["M-2", "open"],
        ["M-3", "open"],
      ]);
      const second = await pull(central, kiosk, first.toCursor);
      expect([second.toCursor, second.complete]).toEqual([6, false]);
      expect(second.matters.map((m) => m.matterId)).toEqual(["M-4", "M-5", "M-1"]);
      const third = await pull(central, kiosk, second.toCursor);
      expect([third.toCursor, third.complete]).toEqual([8, true]);
      expect(third.blocklist).toEqual([{ cardNumber: "110101198001010037", listed: false }]);
    });

    test(`the default page holds ${MAX_SYNC_PAGE_CHANGES} changes`, async () => {
      const { central, kiosk, matters } = await setup();
      for (let i = 0; i <= MAX_SYNC_PAGE_CHANGES; i++) await matters.listCard(`B${String(i).padStart(9, "0")}`, "invalidated", central.clock.now());
      const first = await pull(central, kiosk, 0);
      expect([first.blocklist.length, first.toCursor, first.complete]).toEqual([MAX_SYNC_PAGE_CHANGES, MAX_SYNC_PAGE_CHANGES, false]);
      const rest = await pull(central, kiosk, first.toCursor);
      expect([rest.blocklist.length, rest.complete]).toEqual([1, true]);
    });

    test("a matter moved to another hall reaches the kiosks of both halls", async () => {
      const { central, kiosk, matters } = await setup();
      const other = await TestKiosk.create("hall-b-k1", { clock: central.clock });
      await central.register(other, "hall-b");
      await matters.putMatter(matter("M-1", "hall-a"), central.clock.now());
      const before = await pull(central, kiosk, 0);
      await matters.putMatter(matter("M-1", "hall-b"), central.clock.now());
      const left = await pull(central, kiosk, before.toCursor);
      expect(left.matters.map((m) => [m.matterId, m.hallId])).toEqual([["M-1", "hall-b"]]);
      const arrived = await pull(central, other, 0);
      expect(arrived.matters.map((m) => [m.matterId, m.hallId])).toEqual([["M-1", "hall-b"]]);
    });

    test("unsigned, foreign-signed, mismatched and malformed pulls are refused", async () => {
      const { central, kiosk } = await setup();
      const problem = async (res: Response, status: number) => {
        expect(res.status).toBe(status);
        return problemSchema.parse(await res.json()).detail;
      };
      expect(await problem(await central.app.request("/api/v1/kiosks/hall-a-k1/sync?cursor=0"), 401)).toContain("missing header");
      const stranger = await TestKiosk.create("hall-x-k9", { clock: central.clock });
      const strangerPull = await stranger.sync(0);
      expect(await problem(await central.app.request(strangerPull.path, strangerPull.init), 401)).toContain("not registered");
      const other = await TestKiosk.create("hall-a-k2", { clock: central.clock });
      await central.register(other, "hall-a");
      const foreign = await other.sync(0, { asKioskId: "hall-a-k1" });
      expect(await problem(await central.app.request(foreign.path, foreign.init), 401)).toContain("belongs to another kiosk");
      // The query is signed: another cursor on the same signature does not verify.
      const signed = await kiosk.sync(5);
      expect(await problem(await central.app.request(signed.path.replace("cursor=5", "cursor=6"), signed.init), 401)).toContain("does not verify");
      // A validly signed pull whose idempotency key names another cursor.
      const path = "/api/v1/kiosks/hall-a-k1/sync?cursor=6";
      const contentSha256 = await sha256Hex(new Uint8Array(0));
      const timestamp = new Date(central.clock.now()).toISOString();
      const nonce = "sync-nonce-aaaaaaaaaaaa";
      const headers = {
        "Idempotency-Key": "sync:5",
        "X-Kiosk-Key-Id": kiosk.signer.keyId,
        "X-Content-SHA256": contentSha256,
        "X-Kiosk-Timestamp": timestamp,
        "X-Kiosk-Nonce": nonce,
        "X-Kiosk-Signature": await signBase64Url(
          kiosk.signer,
          requestSigningInput({ method: "GET", path, idempotencyKey: "sync:5", contentSha256, keyId: kiosk.signer.keyId, timestamp, nonce }),
        ),
      };
      expect(await problem(await central.app.request(path, { headers }), 400)).toContain('expected "sync:6"');
      const badCursor = await kiosk.sync(0);
      expect(await problem(await central.app.request(badCursor.path.replace("cursor=0", "cursor=-1"), badCursor.init), 400)).toContain("Invalid cursor");
    });
  });
}
