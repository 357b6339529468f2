/**
 * "Done when": a stolen copy of the kiosk's SQLite file shows no ID number,
 * name or photo in clear text.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { ID_NUMBER, NAME, NAME_EN, openTestStore, sampleResult, type TestStore } from "./testing/store-fixtures.ts";

let t: TestStore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

const MATTER_PERSON_ID = "110101198001010053";
const MATTER_PERSON_NAME = "司马相如";
const BLOCKED_CARD = "440301199912120028";

function needles(): Array<[string, Uint8Array]> {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const utf16 = (s: string) => new Uint8Array(Buffer.from(s, "utf16le"));
  const list: Array<[string, Uint8Array]> = [];
  for (const value of [ID_NUMBER, NAME, NAME_EN, MATTER_PERSON_ID, MATTER_PERSON_NAME, BLOCKED_CARD, "1949-12-31"]) {
    list.push([`${value} (UTF-8)`, utf8(value)], [`${value} (UTF-16)`, utf16(value)]);
  }
  // The first 12 characters too, in case a value were split or truncated.
  list.push(["ID number prefix", utf8(ID_NUMBER.slice(0, 12))]);
  return list;
}

function leaks(path: string): string[] {
  const found: string[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    const bytes = Buffer.from(readFileSync(file));
    for (const [label, needle] of needles()) if (bytes.indexOf(Buffer.from(needle)) !== -1) found.push(`${label} in ${file.slice(path.length) || "db"}`);
  }
  return found;
}

describe("personal data at rest", () => {
  test("the database and WAL files hold no ID number, name or birth date in clear text", async () => {
    t = await openTestStore({ file: true });
    const result = sampleResult();
    await t.store.saveResult(result);
    await t.store.saveResult(sampleResult());
    await t.cache.applyPage(
      {
        kioskId: "hall-7-k1",
        hallId: "hall-7",
        fromCursor: 0,
        toCursor: 2,
        complete: true,
        matters: [
          {
            matterId: "M-77",
            kind: "establishment",
            companyName: "北京示例科技有限公司",
            hallId: "hall-7",
            status: "open",
            persons: [{ idNumber: MATTER_PERSON_ID, name: MATTER_PERSON_NAME, role: "shareholder" }],
            updatedAt: "2026-03-01T07:00:00.000Z",
          },
        ],
        blocklist: [{ cardNumber: BLOCKED_CARD, listed: true, reason: "stolen" }],
        generatedAt: "2026-03-01T07:00:00.000Z",
      },
      t.clock.now(),
    );
    // The data really is there (this test would pass vacuously otherwise)…
    expect((await t.store.readRecord(1, 1))?.body).toContain(ID_NUMBER);
    expect((await t.cache.pendingMatters(MATTER_PERSON_ID))[0]?.persons[0]?.name).toBe(MATTER_PERSON_NAME);
    expect((await t.cache.blocklistEntry(BLOCKED_CARD)).listed).toBe(true);
    // …and the WAL holds it before a checkpoint: check it, then the main file after one.
    expect(existsSync(`${t.path}-wal`)).toBe(true);
    expect(leaks(t.path)).toEqual([]);
    t.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(leaks(t.path)).toEqual([]);
  });

  test("the check itself finds clear text when it is there", async () => {
    t = await openTestStore({ file: true });
    t.db.run("CREATE TABLE leak (v TEXT) STRICT");
    t.db.query("INSERT INTO leak VALUES (?)").run(`${NAME} ${ID_NUMBER}`);
    expect(leaks(t.path).length).toBeGreaterThan(0);
  });
});
