import { afterAll, afterEach, expect, test } from "bun:test";
import { isKioskError, type Matter } from "@kiosk/contracts";
import { loadOrCreateDataKey } from "@kiosk/runtime";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSyncCacheReader, type SyncCacheReader } from "./sync-cache-reader.ts";
import { openTestStore, type TestStore } from "./testing/store-fixtures.ts";

let t: TestStore | undefined;
let reader: SyncCacheReader | undefined;
const dir = mkdtempSync(join(tmpdir(), "kiosk-cache-reader-"));
afterEach(() => {
  reader?.close();
  t?.dispose();
  [reader, t] = [undefined, undefined];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));


test("reads the matters a running kiosk cached, through the data key file", async () => {
  const dataKeyFile = join(dir, "data.key");
  t = await openTestStore({ dir, dataKey: await loadOrCreateDataKey(dataKeyFile) });
  const person = { idNumber: "110101198001010053", name: "司马相如", role: "shareholder" } as const;
  const matter: Matter = { matterId: "M-1", kind: "change", companyName: "公司 M-1", hallId: "hall-7", status: "open", persons: [person], updatedAt: "2026-03-01T07:00:00.000Z" };
  await t.cache.applyPage(
    { kioskId: "hall-7-k1", hallId: "hall-7", fromCursor: 0, toCursor: 1, complete: true, matters: [matter], blocklist: [], generatedAt: "2026-03-01T07:00:00.000Z" },
    100,
  );
  reader = await openSyncCacheReader({ dbPath: t.path, dataKeyFile });
  expect(await reader.pendingMatters(person.idNumber)).toEqual([matter]);
  expect(await reader.pendingMatters("110101198001010037")).toEqual([]);
  expect(reader.counts()).toEqual({ openMatters: 1, blocklisted: 0 });
});

test("a missing database is a store failure, not a new empty file", async () => {
  const error = await openSyncCacheReader({ dbPath: join(dir, "none.db"), dataKeyFile: join(dir, "data.key") }).catch((e: unknown) => e);
  expect(isKioskError(error) && error.code).toBe("store-failed");
  expect(existsSync(join(dir, "none.db"))).toBe(false);
});
