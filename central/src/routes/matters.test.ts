import { afterEach, describe, expect, test } from "bun:test";
import { matterSchema, problemSchema, type MatterInput } from "@kiosk/contracts";
import { createTestCentral, type TestCentral } from "../testing/test-central.ts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";

const matter: MatterInput = {
  matterId: "M-2026-0001",
  kind: "establishment",
  companyName: "测试科技有限公司",
  creditCode: "91350100M000100Y43",
  hallId: "hall-dongcheng",
  status: "open",
  persons: [{ idNumber: "110101198001010037", name: "测试甲", role: "legal-representative" }],
};

function json(method: string, body: unknown, token?: string): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers["authorization"] = `Bearer ${token}`;
  return { method, headers, body: JSON.stringify(body) };
}

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  return problemSchema.parse(await res.json());
}

for (const backend of testBackends()) {
  describe(`registration API on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function setup(): Promise<{ central: TestCentral; token: string }> {
      db = await backend.create();
      const central = await createTestCentral(db);
      const { token } = await central.services.tokens.create("registration-system", central.clock.now());
      return { central, token };
    }

    test("a missing, wrong or revoked token is refused with 401 and nothing is written", async () => {
      const { central, token } = await setup();
      const none = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", matter));
      expect(none.headers.get("www-authenticate")).toContain("Bearer");
      expect((await problem(none, 401)).detail).toContain("Missing bearer token");
      const wrong = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", matter, `${token}x`));
      expect((await problem(wrong, 401)).detail).toContain("Unknown or revoked");
      await problem(await central.app.request("/api/v1/blocklist/110101198001010037", { method: "DELETE" }), 401);
      await problem(await central.app.request("/api/v1/matters/M-2026-0001"), 401);
      expect(await central.services.tokens.revoke("registration-system", central.clock.now())).toBe(1);
      await problem(await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", matter, token)), 401);
      expect(Number((await db!.sql`select count(*) as n from change_log`)[0].n)).toBe(0);
      // Only the hash of the token is stored.
      const stored = await db!.sql`select token_sha256 from api_tokens`;
      expect(JSON.stringify(stored)).not.toContain(token);
    });

    test("a matter is created, read back, rewritten without a change, and changed with the next change number", async () => {
      const { central, token } = await setup();
      const created = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", matter, token));
      expect(created.status).toBe(201);
      const first = (await created.json()) as { matter: unknown; changeId: number; changed: boolean };
      expect([first.changeId, first.changed]).toEqual([1, true]);
      expect(matterSchema.parse(first.matter)).toEqual({ ...matter, updatedAt: "2026-11-23T08:00:00.000Z" });

      const read = await central.app.request("/api/v1/matters/M-2026-0001", { headers: { authorization: `Bearer ${token}` } });
      expect(matterSchema.parse(await read.json()).companyName).toBe("测试科技有限公司");

      await central.clock.advance(1000);
      const same = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", matter, token));
      expect(same.status).toBe(200);
      expect(await same.json()).toMatchObject({ changeId: 1, changed: false, matter: { updatedAt: "2026-11-23T08:00:00.000Z" } });

      const closed = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", { ...matter, status: "closed" }, token));
      expect(await closed.json()).toMatchObject({ changeId: 2, changed: true, matter: { status: "closed", updatedAt: "2026-11-23T08:00:01.000Z" } });
    });

    test("invalid matters are refused naming the field, never echoing the ID number", async () => {
      const { central, token } = await setup();
      const badId = { ...matter, persons: [{ ...matter.persons[0]!, idNumber: "110101198001010038" }] };
      const res = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", badId, token));
      const body = await problem(res, 400);
      expect(body.detail).toContain("persons.0.idNumber");
      expect(body.detail).toContain("GB 11643");
      expect(JSON.stringify(body)).not.toContain("110101198001010038");
      const badCode = await central.app.request("/api/v1/matters/M-2026-0001", json("PUT", { ...matter, creditCode: "91350100M000100Y44" }, token));
      expect((await problem(badCode, 400)).detail).toContain("creditCode");
      const otherId = await central.app.request("/api/v1/matters/M-2026-0002", json("PUT", matter, token));
      expect((await problem(otherId, 400)).detail).toContain('path names "M-2026-0002"');
      await problem(await central.app.request("/api/v1/matters/M-404", { headers: { authorization: `Bearer ${token}` } }), 404);
      expect(Number((await db!.sql`select count(*) as n from matters`)[0].n)).toBe(0);
    });

    test("cards are listed, relisted without a change, delisted, and each change gets the next number", async () => {
      const { central, token } = await setup();
      const card = "/api/v1/blocklist/110101198001010037";
      const listed = await central.app.request(card, json("PUT", { reason: "lost" }, token));
      expect(await listed.json()).toEqual({ cardNumber: "110101198001010037", listed: true, reason: "lost", changed: true, changeId: 1 });
      expect(await (await central.app.request(card, json("PUT", { reason: "lost" }, token))).json()).toMatchObject({ changed: false, changeId: 1 });
      expect(await (await central.app.request(card, json("PUT", { reason: "stolen" }, token))).json()).toMatchObject({ changed: true, changeId: 2 });
      const delisted = await central.app.request(card, { method: "DELETE", headers: { authorization: `Bearer ${token}` } });
      expect(await delisted.json()).toEqual({ cardNumber: "110101198001010037", listed: false, changed: true, changeId: 3 });
      await problem(await central.app.request("/api/v1/blocklist/CAN110080101000", { method: "DELETE", headers: { authorization: `Bearer ${token}` } }), 404);
      await problem(await central.app.request("/api/v1/blocklist/not-a-card", json("PUT", { reason: "lost" }, token)), 400);
      await problem(await central.app.request(card, json("PUT", { reason: "misplaced" }, token)), 400);
    });

    test("concurrent writers get distinct, gap-free change numbers", async () => {
      const { central, token } = await setup();
      const replies = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          Promise.resolve(central.app.request(`/api/v1/blocklist/A${String(i).padStart(9, "0")}`, json("PUT", { reason: "lost" }, token))).then((r) => r.json()),
        ),
      );
      const ids = (replies as Array<{ changeId: number }>).map((r) => r.changeId).sort((a, b) => a - b);
      expect(ids).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });
  });
}
