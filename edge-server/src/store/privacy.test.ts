/**
 * "Done when": a stolen copy of the kiosk's SQLite file shows no ID number,
 * name, photo or signature in clear text, and a purged record's personal
 * data has left the file.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { sampleSignature } from "@kiosk/contracts/testing";
import { fakeReceipt, ID_NUMBER, KIOSK_ID, NAME, NAME_EN, openTestStore, sampleResult, type TestStore } from "./testing/store-fixtures.ts";

let t: TestStore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

const MATTER_PERSON_ID = "110101198001010053";
const MATTER_PERSON_NAME = "司马相如";
const BLOCKED_CARD = "440301199912120028";
const SIGNATURE = sampleSignature({ strokes: 2, pointsPerStroke: 150 });
// The pen path as the body's JSON holds it: the first 16 points of each stroke.
const STROKE_TEXTS = SIGNATURE.strokes.map((stroke) => JSON.stringify(stroke.slice(0, 32)).slice(1, -1));

function needles(): Array<[string, Uint8Array]> {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const utf16 = (s: string) => new Uint8Array(Buffer.from(s, "utf16le"));
  const list: Array<[string, Uint8Array]> = [];
  for (const value of [ID_NUMBER, NAME, NAME_EN, MATTER_PERSON_ID, MATTER_PERSON_NAME, BLOCKED_CARD, "1949-12-31"]) {
    list.push([`${value} (UTF-8)`, utf8(value)], [`${value} (UTF-16)`, utf16(value)]);
  }
  // The first 12 characters too, in case a value were split or truncated.
  list.push(["ID number prefix", utf8(ID_NUMBER.slice(0, 12))]);
  STROKE_TEXTS.forEach((text, i) => list.push([`signature stroke ${i}`, utf8(text)]));
  list.push(["signature strokes key", utf8('"strokes"')]);
  return list;
}

function leaks(path: string, list = needles()): string[] {
  const found: string[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    const bytes = Buffer.from(readFileSync(file));
    for (const [label, needle] of list) if (bytes.indexOf(Buffer.from(needle)) !== -1) found.push(`${label} in ${file.slice(path.length) || "db"}`);
  }
  return found;
}

describe("personal data at rest", () => {
  test("the database and WAL files hold no ID number, name, birth date or signature in clear text", async () => {
    t = await openTestStore({ file: true });
    const result = sampleResult({ signature: SIGNATURE });
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
    for (const text of STROKE_TEXTS) expect((await t.store.readRecord(1, 1))?.body).toContain(text);
    expect((await t.cache.pendingMatters(MATTER_PERSON_ID))[0]?.persons[0]?.name).toBe(MATTER_PERSON_NAME);
    expect((await t.cache.blocklistEntry(BLOCKED_CARD)).listed).toBe(true);
    // …and the WAL holds it before a checkpoint: check it, then the main file after one.
    expect(existsSync(`${t.path}-wal`)).toBe(true);
    expect(leaks(t.path)).toEqual([]);
    t.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(leaks(t.path)).toEqual([]);
  });

  test("the retention purge drops a result's signature from the file, sealed bytes and all", async () => {
    t = await openTestStore({ file: true });
    await t.store.saveResult(sampleResult({ signature: SIGNATURE }));
    await t.store.saveResult(sampleResult());
    const sealedOf = (seq: number) => (t!.db.query("SELECT body_sealed FROM records WHERE seq = ?").get(seq) as { body_sealed: Uint8Array }).body_sealed.slice();
    // AES-GCM keeps positions: the middle of the sealed body lies in the signature, most of the body.
    const sealed = sealedOf(1);
    const ciphertext: Array<[string, Uint8Array]> = [["sealed body of seq 1", sealed.slice(sealed.length / 2, sealed.length / 2 + 48)]];
    t.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(leaks(t.path, ciphertext)).toEqual(["sealed body of seq 1 in db"]);

    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [1], quarantined: [], receipt: fakeReceipt(1, 1), atMs: t.clock.now() });
    expect(t.store.purgeAcked(t.clock.now())).toBe(1);
    t.store.compact();
    expect((await t.store.readRecord(1, 1))?.body).toBeNull();
    expect(leaks(t.path, ciphertext)).toEqual([]);
    expect(leaks(t.path)).toEqual([]);
    // The unacknowledged record keeps its body.
    expect((await t.store.readRecord(1, 2))?.body).toContain('"strokes"');
  });

  test("the check itself finds clear text when it is there", async () => {
    t = await openTestStore({ file: true });
    t.db.run("CREATE TABLE leak (v TEXT) STRICT");
    t.db.query("INSERT INTO leak VALUES (?)").run(`${NAME} ${ID_NUMBER} ${JSON.stringify(SIGNATURE)}`);
    t.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(leaks(t.path)).toEqual([
      `${ID_NUMBER} (UTF-8) in db`,
      `${NAME} (UTF-8) in db`,
      "ID number prefix in db",
      "signature stroke 0 in db",
      "signature stroke 1 in db",
      "signature strokes key in db",
    ]);
  });
});
