import { afterEach, describe, expect, test } from "bun:test";
import {
  fromBase64Url,
  GENESIS_HASH,
  importVerifyKey,
  isKioskError,
  recordSigningInput,
  sha256Hex,
  verifySignature,
} from "@kiosk/contracts";
import { DiskBudget, fileDiskProbe, type DiskUsage } from "./disk-budget.ts";
import { KioskStore } from "./kiosk-store.ts";
import { fakeReceipt, KIOSK_ID, openTestStore, sampleResult, type TestStore } from "./testing/store-fixtures.ts";
import { rejectionOf } from "@kiosk/contracts/testing";

let t: TestStore | undefined;
afterEach(() => {
  t?.dispose();
  t = undefined;
});

const count = (s: TestStore, table: string) => (s.db.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

function ack(s: TestStore, epoch: number, seqs: number[], atMs = s.clock.now()): void {
  s.outbox.settle({ kioskId: KIOSK_ID, epoch, acked: seqs, quarantined: [], receipt: fakeReceipt(epoch, Math.max(...seqs)), atMs });
}

describe("KioskStore", () => {
  test("a new database gets the kiosk identity at epoch 1 with the genesis chain head", async () => {
    t = await openTestStore();
    expect(t.store.identity()).toMatchObject({ kioskId: KIOSK_ID, epoch: 1, nextSeq: 1, chainHead: GENESIS_HASH });
  });

  test("saves a result with its outbox row and reads it back", async () => {
    t = await openTestStore();
    const result = sampleResult();
    const saved = await t.store.saveResult(result);
    expect(saved).toMatchObject({ kioskId: KIOSK_ID, epoch: 1, seq: 1, eventId: result.sessionId, alreadySaved: false });
    const stored = await t.store.readRecord(1, 1);
    expect(stored?.state).toBe("pending");
    expect(JSON.parse(stored?.body ?? "null")).toEqual(result);
    expect(stored?.header).toMatchObject({ kind: "verification-result", schemaVersion: 2, prevHash: GENESIS_HASH, createdAt: "2026-03-01T08:00:00.000Z" });
    expect(count(t, "outbox")).toBe(1);
  });

  test("every record is signed and hash-chained as the contract says", async () => {
    t = await openTestStore();
    for (let i = 0; i < 3; i++) await t.store.saveResult(sampleResult());
    const key = await importVerifyKey(t.signer.publicKey);
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const r = (await t.store.readRecord(1, seq))!;
      const input = recordSigningInput(r.header);
      expect(r.header.prevHash).toBe(prev);
      expect(r.header.bodySha256).toBe(await sha256Hex(new TextEncoder().encode(r.body!)));
      expect(r.header.keyId).toBe(t.signer.keyId);
      expect(await verifySignature(key, fromBase64Url(r.signature), input)).toBe(true);
      prev = await sha256Hex(input);
      expect(r.recordHash).toBe(prev);
    }
    expect(t.store.identity().chainHead).toBe(prev);
    expect(await t.store.verifyChain()).toEqual({ kioskId: KIOSK_ID, epoch: 1, records: 3, problems: [] });
  });

  test("verifyChain reports an edited header (with the guard trigger removed)", async () => {
    t = await openTestStore();
    for (let i = 0; i < 2; i++) await t.store.saveResult(sampleResult());
    t.db.run("DROP TRIGGER records_header_immutable");
    t.db.run("UPDATE records SET created_at = '2030-01-01T00:00:00.000Z' WHERE seq = 1");
    const report = await t.store.verifyChain();
    expect(report.problems).toEqual(["seq 1: record hash does not match its header", "seq 1: bad signature"]);
  });

  test("the record and its outbox row are written in one transaction: a failure mid-write leaves neither", async () => {
    t = await openTestStore();
    t.db.run("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    const error = await rejectionOf(t.store.saveResult(sampleResult()));
    expect(isKioskError(error, "store-failed")).toBe(true);
    expect(count(t, "records")).toBe(0);
    expect(count(t, "outbox")).toBe(0);
    expect(t.store.identity()).toMatchObject({ nextSeq: 1, chainHead: GENESIS_HASH });
    t.db.run("DROP TRIGGER fail_outbox");
    expect((await t.store.saveResult(sampleResult())).seq).toBe(1);
    expect(await t.store.verifyChain()).toMatchObject({ records: 1, problems: [] });
  });

  test("sequence numbers never repeat, even after rows are pruned and the store reopened", async () => {
    t = await openTestStore({ file: true });
    for (let i = 0; i < 3; i++) await t.store.saveResult(sampleResult());
    ack(t, 1, [1, 2, 3]);
    t.db.run("DELETE FROM outbox");
    t.db.run("DELETE FROM records");
    t.db.run("DELETE FROM sqlite_sequence");
    expect((await t.store.saveResult(sampleResult())).seq).toBe(4);
    const { dir, signer, dataKey } = t;
    t.dispose({ keepDir: true });
    t = await openTestStore({ dir: dir!, signer, dataKey });
    expect((await t.store.saveResult(sampleResult())).seq).toBe(5);
    expect(t.store.identity().nextSeq).toBe(6);
    t.dispose();
    const { rmSync } = await import("node:fs");
    rmSync(dir!, { recursive: true, force: true });
    t = undefined;
  });

  test("saving the same session again is idempotent; a different result for it is refused", async () => {
    t = await openTestStore();
    const result = sampleResult();
    const first = await t.store.saveResult(result);
    const again = await t.store.saveResult(structuredClone(result));
    expect(again).toMatchObject({ seq: first.seq, recordHash: first.recordHash, alreadySaved: true });
    expect(count(t, "records")).toBe(1);
    const error = await rejectionOf(t.store.saveResult({ ...result, outcome: "face-mismatch" }));
    expect(isKioskError(error, "bad-request")).toBe(true);
    expect(count(t, "records")).toBe(1);
  });

  test("an invalid result is refused without echoing personal data", async () => {
    t = await openTestStore();
    const bad = sampleResult({ card: { ...sampleResult().card, idNumber: "", name: "欧阳娜娜" } });
    const error = (await rejectionOf(t.store.saveResult(bad))) as Error;
    expect(isKioskError(error, "bad-request")).toBe(true);
    expect(error.message).toContain("card.idNumber");
    expect(error.message).not.toContain("欧阳娜娜");
    const other = await rejectionOf(t.store.saveResult(sampleResult({ kioskId: "hall-9-k9" })));
    expect(isKioskError(other, "bad-request")).toBe(true);
    expect(count(t, "records")).toBe(0);
  });

  test("a result of schema version 1 is saved as version 1; each version is checked against its own schema", async () => {
    t = await openTestStore();
    const { face, attempts: _attempts, signature: _signature, ...common } = sampleResult();
    const v1 = { ...common, outcome: "verified" as const, face: { model: face!.model, similarity: 0.81, threshold: face!.threshold, livenessPassed: true } };
    const saved = await t.store.saveVersionedResult({ schemaVersion: 1, body: v1 });
    const stored = await t.store.readRecord(1, saved.seq);
    expect(stored?.header.schemaVersion).toBe(1);
    expect(JSON.parse(stored?.body ?? "null")).toEqual(v1);

    const refusal = async (result: Parameters<KioskStore["saveVersionedResult"]>[0]) => ((await rejectionOf(t!.store.saveVersionedResult(result))) as Error).message;
    expect(await refusal({ schemaVersion: 2, body: { ...sampleResult(), signature: undefined } })).toBe("Invalid verification result v2: signature (custom)");
    const offCanvas = sampleResult();
    offCanvas.signature!.strokes[0]![0] = 5000;
    expect(await refusal({ schemaVersion: 2, body: offCanvas })).toContain("signature.strokes.0");
    expect(await refusal({ schemaVersion: 1, body: sampleResult() as never })).toContain("face.livenessPassed");
    expect(await refusal({ schemaVersion: 3, body: sampleResult() } as never)).toBe("Unknown verification result schema version 3");
    expect(count(t, "records")).toBe(1);
  });

  test("beginEpoch restarts the sequence and the chain; earlier epochs stay readable", async () => {
    t = await openTestStore();
    await t.store.saveResult(sampleResult());
    await t.store.saveResult(sampleResult());
    const identity = await t.store.beginEpoch();
    expect(identity).toMatchObject({ epoch: 2, nextSeq: 1, chainHead: GENESIS_HASH });
    const saved = await t.store.saveResult(sampleResult());
    expect(saved).toMatchObject({ epoch: 2, seq: 1 });
    expect((await t.store.readRecord(2, 1))?.header.prevHash).toBe(GENESIS_HASH);
    expect((await t.store.readRecord(1, 2))?.state).toBe("pending");
    expect(await t.store.verifyChain(1)).toMatchObject({ records: 2, problems: [] });
    await expect(t.store.beginEpoch({ epoch: 2 })).rejects.toThrow(RangeError);
    expect((await t.store.beginEpoch({ epoch: 10 })).epoch).toBe(10);
  });

  test("opening another kiosk's database, or one whose chain head was altered, is refused", async () => {
    t = await openTestStore({ file: true });
    await t.store.saveResult(sampleResult());
    const base = { signer: t.signer, sealer: t.sealer, disk: t.disk, clock: t.clock, log: t.log, bootId: crypto.randomUUID() };
    const other = await rejectionOf(KioskStore.open({ ...base, db: t.db, kioskId: "hall-9-k9" }));
    expect(isKioskError(other, "config-invalid")).toBe(true);
    t.db.run(`UPDATE kiosk_identity SET chain_head = '${"f".repeat(64)}'`);
    const altered = await rejectionOf(KioskStore.open({ ...base, db: t.db, kioskId: KIOSK_ID }));
    expect(isKioskError(altered, "store-failed")).toBe(true);
    expect((altered as Error).message).toContain("chain head");
  });

  test("tampered or moved ciphertext fails to decrypt", async () => {
    t = await openTestStore();
    await t.store.saveResult(sampleResult());
    await t.store.saveResult(sampleResult());
    t.db.run("UPDATE records SET body_sealed = (SELECT body_sealed FROM records WHERE seq = 1) WHERE seq = 2");
    expect(isKioskError(await rejectionOf(t.store.readRecord(1, 2)), "store-failed")).toBe(true);
    const sealed = (t.db.query("SELECT body_sealed FROM records WHERE seq = 1").get() as { body_sealed: Uint8Array }).body_sealed.slice();
    sealed[30] = (sealed[30] as number) ^ 0x40;
    t.db.query("UPDATE records SET body_sealed = ? WHERE seq = 1").run(sealed);
    expect(isKioskError(await rejectionOf(t.store.readRecord(1, 1)), "store-failed")).toBe(true);
  });

  test("retention purges acknowledged personal data only; unacknowledged and quarantined records keep theirs", async () => {
    t = await openTestStore();
    for (let i = 0; i < 4; i++) await t.store.saveResult(sampleResult());
    const ackedAt = t.clock.now();
    ack(t, 1, [1, 2], ackedAt);
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [], quarantined: [{ seq: 3, reason: "bad-schema", message: null }], receipt: null, atMs: ackedAt });
    await t.clock.advance(10 * 86_400_000);
    expect(t.store.purgeAcked(ackedAt - 1)).toBe(0);
    expect(t.store.purgeAcked(ackedAt)).toBe(2);
    for (const seq of [1, 2]) {
      const r = (await t.store.readRecord(1, seq))!;
      expect(r.body).toBeNull();
      expect(r.state).toBe("acked");
      expect(r.header.seq).toBe(seq);
    }
    expect((await t.store.readRecord(1, 3))?.body).not.toBeNull();
    expect((await t.store.readRecord(1, 4))?.body).not.toBeNull();
    expect(count(t, "receipts")).toBe(1);
    expect(await t.store.verifyChain()).toMatchObject({ records: 4, problems: [] });
    t.store.compact();
  });

  test("above the hard watermark results are refused (fail closed); with a tiny budget nothing is written", async () => {
    t = await openTestStore({ file: true });
    // The real file probe, with a 1-byte budget.
    const tiny = new DiskBudget(fileDiskProbe(t.path), { budgetBytes: 1, softWatermark: 0.5, hardWatermark: 0.9, minFreeBytes: 0 }, t.log);
    const store = await KioskStore.open({ db: t.db, kioskId: KIOSK_ID, signer: t.signer, sealer: t.sealer, disk: tiny, clock: t.clock, log: t.log, bootId: crypto.randomUUID() });
    const error = (await rejectionOf(store.saveResult(sampleResult()))) as Error;
    expect(isKioskError(error, "store-full")).toBe(true);
    expect(error.message).toContain("Local storage is full");
    expect(count(t, "records")).toBe(0);
    expect(store.identity().nextSeq).toBe(1);
  });

  test("a disk that really fills (SQLite at its page limit) gives store-full, loses nothing, and saving resumes when space returns", async () => {
    t = await openTestStore({ file: true });
    const pages = () => (t?.db.query("PRAGMA page_count").get() as { page_count: number }).page_count;
    const saved: number[] = [];
    for (let i = 0; i < 3; i++) saved.push((await t.store.saveResult(sampleResult())).seq);
    // The file may not grow by more than two pages: the next saves run into SQLITE_FULL.
    t.db.run(`PRAGMA max_page_count = ${pages() + 2}`);
    let error: unknown;
    for (let i = 0; i < 200 && error === undefined; i++) {
      try {
        saved.push((await t.store.saveResult(sampleResult())).seq);
      } catch (caught) {
        error = caught;
      }
    }
    expect(isKioskError(error, "store-full")).toBe(true);
    expect((error as Error).message).toContain("the kiosk's disk is full");
    // The failed save left no partial record and used no sequence number.
    expect(count(t, "records")).toBe(saved.length);
    expect(t.store.identity().nextSeq).toBe(saved.length + 1);
    expect(await t.store.verifyChain()).toMatchObject({ records: saved.length, problems: [] });

    t.db.run("PRAGMA max_page_count = 1073741823");
    expect((await t.store.saveResult(sampleResult())).seq).toBe(saved.length + 1);
    expect(await t.store.verifyChain()).toMatchObject({ records: saved.length + 1, problems: [] });
  });

  test("results are accepted again by themselves once space returns", async () => {
    let usage: DiskUsage = { usedBytes: 0, freeBytes: 10 * 1024 * 1024 };
    t = await openTestStore({ probe: { measure: () => usage }, limits: { budgetBytes: 1 << 20, softWatermark: 0.7, hardWatermark: 0.9, minFreeBytes: 1024 * 1024 } });
    await t.store.saveResult(sampleResult());
    usage = { usedBytes: 0, freeBytes: 512 * 1024 };
    expect(isKioskError(await rejectionOf(t.store.saveResult(sampleResult())), "store-full")).toBe(true);
    expect(t.disk.last.acceptingResults).toBe(false);
    usage = { usedBytes: 0, freeBytes: 10 * 1024 * 1024 };
    expect((await t.store.saveResult(sampleResult())).seq).toBe(2);
    expect(t.records.filter((r) => r.level === "error").map((r) => r.msg)[0]).toContain("refusing new results");
    expect(t.records.some((r) => r.msg === "local storage back below its watermarks")).toBe(true);
  });

  test("appends run one at a time: concurrent saves get distinct, contiguous seqs and one chain", async () => {
    t = await openTestStore();
    const saved = await Promise.all(Array.from({ length: 20 }, () => t!.store.saveResult(sampleResult())));
    expect(saved.map((s) => s.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await t.store.verifyChain()).toMatchObject({ records: 20, problems: [] });
  });

  test("listeners hear about each new record after it is committed", async () => {
    t = await openTestStore();
    const seen: number[] = [];
    const off = t.store.onAppend(() => seen.push(count(t!, "outbox")));
    const result = sampleResult();
    await t.store.saveResult(result);
    await t.store.saveResult(result);
    off();
    await t.store.saveResult(sampleResult());
    expect(seen).toEqual([1]);
  });
});
