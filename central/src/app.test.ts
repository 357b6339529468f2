import { afterEach, describe, expect, test } from "bun:test";
import { problemSchema } from "@kiosk/contracts";
import { createTestCentral } from "./testing/test-central.ts";
import { testBackends, type TestDatabase } from "./testing/test-databases.ts";

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
      const { app, records } = await createTestCentral(db);
      return { app, records };
    }

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
