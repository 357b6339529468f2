import { afterEach, describe, expect, test } from "bun:test";
import {
  batchResponseSchema,
  fromBase64Url,
  generateSigner,
  importVerifyKey,
  problemSchema,
  receiptSigningInput,
  requestExpiredDetailsSchema,
  requestSigningInput,
  recordStatusesDigest, sha256Hex,
  signBase64Url,
  verifySignature,
  type BatchResponse,
  type UpstreamRecord,
} from "@kiosk/contracts";
import { createTestCentral, type TestCentral } from "../testing/test-central.ts";
import { testBackends, type TestDatabase } from "../testing/test-databases.ts";
import { signTestRecord, TestKiosk, testVerificationResult, testVerificationResultV1, type SignedTestRequest } from "../testing/test-kiosk.ts";

async function count(db: TestDatabase, table: string, where = "1 = 1"): Promise<number> {
  const rows = await db.sql.unsafe(`select count(*) as n from ${table} where ${where}`);
  return Number(rows[0].n);
}

async function send(central: TestCentral, request: SignedTestRequest): Promise<Response> {
  return central.app.request(request.path, request.init);
}

async function accepted(central: TestCentral, request: SignedTestRequest): Promise<BatchResponse> {
  const res = await send(central, request);
  expect(res.status).toBe(200);
  return batchResponseSchema.parse(await res.json());
}

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return problemSchema.parse(await res.json());
}

for (const backend of testBackends()) {
  describe(`batch ingest on ${backend.name}`, () => {
    let db: TestDatabase | undefined;
    afterEach(async () => {
      await db?.dispose();
      db = undefined;
    });

    async function setup(options: Parameters<typeof createTestCentral>[1] = {}) {
      db = await backend.create();
      const central = await createTestCentral(db, options);
      const kiosk = await TestKiosk.create("hall-1-k1", { clock: central.clock });
      await central.register(kiosk);
      return { db, central, kiosk };
    }

    test("stores a signed batch and answers after commit with a receipt that verifies with central's public key", async () => {
      const { db, central, kiosk } = await setup();
      const request = await kiosk.batch(await kiosk.records(3));
      const reply = await accepted(central, request);
      expect(reply.ackThrough).toBe(3);
      expect(reply.gaps).toEqual([]);
      expect(reply.results).toEqual([1, 2, 3].map((seq) => ({ seq, status: "accepted" })));

      const key = (await (await central.app.request("/api/v1/central-key")).json()) as { keyId: string; publicKey: string };
      expect(key.keyId).toBe(reply.receipt.keyId);
      const { signature, ...unsigned } = reply.receipt;
      expect(unsigned).toEqual({
        kioskId: "hall-1-k1",
        epoch: 1,
        ackThrough: 3,
        batchDigest: await sha256Hex(request.body),
        resultsDigest: await recordStatusesDigest(reply.results),
        receivedAt: "2026-11-23T08:00:00.000Z",
        keyId: key.keyId,
      });
      const verifyKey = await importVerifyKey(new Uint8Array(Buffer.from(key.publicKey, "base64")));
      expect(await verifySignature(verifyKey, fromBase64Url(signature), receiptSigningInput(unsigned))).toBe(true);
      // The receipt covers its fields: another ackThrough does not verify.
      expect(await verifySignature(verifyKey, fromBase64Url(signature), receiptSigningInput({ ...unsigned, ackThrough: 4 }))).toBe(false);

      expect(await count(db, "upstream_records")).toBe(3);
      expect(await count(db, "ingest_ledger", "status = 'accepted'")).toBe(3);
      const [row] = await db.sql`select body, signature from upstream_records where seq = 2`;
      const [, second] = JSON.parse(new TextDecoder().decode(request.body)).records as UpstreamRecord[];
      expect(row.body).toBe(second!.body);
      expect(row.signature).toBe(second!.signature);
      expect(await count(db, "integrity_alarms")).toBe(0);
    });

    test("a resent batch gets all duplicates and the same ackThrough, and nothing is stored twice", async () => {
      const { db, central, kiosk } = await setup();
      const records = await kiosk.records(4);
      const request = await kiosk.batch(records);
      const first = await accepted(central, request);
      // A retry is a new request (new timestamp and nonce) under the same Idempotency-Key.
      const retry = await kiosk.batch(records);
      expect(retry.init.headers["Idempotency-Key"]).toBe(request.init.headers["Idempotency-Key"]);
      const again = await accepted(central, retry);
      expect(again.ackThrough).toBe(first.ackThrough);
      expect(again.results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "duplicate", "duplicate"]);
      expect(again.receipt.batchDigest).toBe(first.receipt.batchDigest);
      expect(await count(db, "upstream_records")).toBe(4);
      expect(await count(db, "ingest_ledger")).toBe(4);
      const [cursor] = await db.sql`select accepted_count, duplicate_count from kiosk_cursors`;
      expect([Number(cursor.accepted_count), Number(cursor.duplicate_count)]).toEqual([4, 4]);
    });

    test("a captured request sent again is refused as replayed, by this central and by another on the same database", async () => {
      const { db, central, kiosk } = await setup();
      const request = await kiosk.batch(await kiosk.records(2));
      await accepted(central, request);
      const replay = await problem(await send(central, request), 401);
      expect(replay.code).toBe("request-replayed");
      expect(replay.detail).toContain(request.init.headers["X-Kiosk-Nonce"]!);
      // A second central process behind the same balancer shares the nonces through the database.
      const second = await createTestCentral(db);
      expect((await problem(await send(second, request), 401)).code).toBe("request-replayed");
      const pull = await kiosk.sync(0);
      expect((await second.app.request(pull.path, pull.init)).status).toBe(200);
      expect((await problem(await central.app.request(pull.path, pull.init), 401)).code).toBe("request-replayed");
      expect(await count(db, "ingest_ledger")).toBe(2);
      expect(central.records.some((r) => r.msg === "request refused: stale or replayed")).toBe(true);
    });

    test("a request stamped outside the window is refused as expired, with central's time and the skew", async () => {
      const { db, central, kiosk } = await setup();
      const records = await kiosk.records(1);
      const now = central.clock.now();
      for (const [offsetMs, direction] of [
        [-300_001, "behind"],
        [300_001, "ahead of"],
        [-Date.parse("2026-11-23T08:00:00.000Z") + 5_000, "behind"],
      ] as const) {
        const stale = await kiosk.batch(records, { timestamp: new Date(now + offsetMs).toISOString() });
        const res = await send(central, stale);
        expect(res.headers.get("x-central-time")).toBe("2026-11-23T08:00:00.000Z");
        const body = await problem(res, 401);
        expect(body.code).toBe("request-expired");
        expect(body.retryable).toBe(true);
        expect(body.detail).toContain(direction);
        expect(requestExpiredDetailsSchema.parse(body.details)).toEqual({
          centralTime: "2026-11-23T08:00:00.000Z",
          requestTime: new Date(now + offsetMs).toISOString(),
          skewMs: offsetMs,
          windowMs: 300_000,
        });
      }
      expect(await count(db, "ingest_ledger")).toBe(0);
      // At the edges of the window the request is taken.
      await accepted(central, await kiosk.batch(records, { timestamp: new Date(now - 300_000).toISOString() }));
      await accepted(central, await kiosk.batch(records, { timestamp: new Date(now + 300_000).toISOString() }));
      const pull = await kiosk.sync(0, { timestamp: new Date(now - 3_600_000).toISOString() });
      expect((await problem(await central.app.request(pull.path, pull.init), 401)).code).toBe("request-expired");
    });

    test("the window is central's setting, and a replay is refused only while its nonce can still be fresh", async () => {
      const { db, central, kiosk } = await setup({ requestWindowMs: 60_000 });
      const records = await kiosk.records(1);
      const request = await kiosk.batch(records);
      await accepted(central, request);
      await central.clock.advance(60_001);
      // Past the window the replay is expired (its nonce may then be forgotten).
      expect((await problem(await send(central, request), 401)).code).toBe("request-expired");
      await central.clock.advance(60_000);
      await accepted(central, await kiosk.batch(records));
      expect(await count(db, "request_nonces")).toBe(1);
    });

    test("only a request whose signature verifies uses up its nonce", async () => {
      const { central, kiosk } = await setup();
      const records = await kiosk.records(1);
      const nonce = "attacker-guessed-nonce";
      const genuine = await kiosk.batch(records, { nonce });
      const forged = await kiosk.batch(records, { nonce, signer: await generateSigner() });
      const forgedInit = { ...forged.init, headers: { ...forged.init.headers, "X-Kiosk-Key-Id": kiosk.signer.keyId } };
      expect((await problem(await central.app.request(forged.path, forgedInit), 401)).code).toBe("unauthorized");
      await accepted(central, genuine);
    });

    test("malformed or missing timestamp and nonce headers are refused before anything else", async () => {
      const { central, kiosk } = await setup();
      const records = await kiosk.records(1);
      const request = await kiosk.batch(records);
      const without = { ...request.init.headers };
      delete without["X-Kiosk-Nonce"];
      expect((await problem(await central.app.request(request.path, { ...request.init, headers: without }), 401)).detail).toContain('"X-Kiosk-Nonce"');
      const badTime = await kiosk.batch(records, { timestamp: "yesterday" });
      expect((await problem(await send(central, badTime), 401)).detail).toContain("ISO 8601");
      const shortNonce = await kiosk.batch(records, { nonce: "abc" });
      expect((await problem(await send(central, shortNonce), 401)).detail).toContain("base64url");
    });

    test("out-of-order batches are stored, gaps are reported, and ackThrough catches up when they fill", async () => {
      const { db, central, kiosk } = await setup();
      const records = await kiosk.records(9);
      const late = await accepted(central, await kiosk.batch(records.slice(6, 9)));
      expect(late.results.map((r) => r.status)).toEqual(["accepted", "accepted", "accepted"]);
      expect(late.ackThrough).toBe(0);
      expect(late.gaps).toEqual([{ from: 1, to: 6 }]);
      const middle = await accepted(central, await kiosk.batch(records.slice(0, 2)));
      expect(middle.ackThrough).toBe(2);
      expect(middle.gaps).toEqual([{ from: 3, to: 6 }]);
      const holes = await accepted(central, await kiosk.batch([records[3]!]));
      expect(holes.gaps).toEqual([
        { from: 3, to: 3 },
        { from: 5, to: 6 },
      ]);
      const [cursor] = await db.sql`select ack_through, max_seq, missing_count from kiosk_cursors`;
      expect([cursor.ack_through, cursor.max_seq, cursor.missing_count].map(Number)).toEqual([2, 9, 3]);
      const page = await (await central.app.request("/")).text();
      expect(page).toContain('data-ingest-kiosk-id="hall-1-k1"');
      expect(page).toMatch(/class="missing warn">3</);

      const fill = await accepted(central, await kiosk.batch([records[2]!, records[4]!, records[5]!]));
      expect(fill.ackThrough).toBe(9);
      expect(fill.gaps).toEqual([]);
      expect(await count(db, "upstream_records")).toBe(9);
      // Links were checked across batches in both directions: no chain alarm for an intact chain.
      expect(await count(db, "integrity_alarms")).toBe(0);
    });

    test("a scattered batch is read as a list of seqs and still links to its neighbours", async () => {
      const { db, central, kiosk } = await setup();
      const records = await kiosk.records(40);
      const ends = await accepted(central, await kiosk.batch([records[0]!, records[39]!]));
      expect(ends.gaps).toEqual([{ from: 2, to: 39 }]);
      const middle = await accepted(central, await kiosk.batch(records.slice(1, 39)));
      expect(middle.ackThrough).toBe(40);
      expect(await count(db, "integrity_alarms")).toBe(0);
      const again = await accepted(central, await kiosk.batch([records[0]!, records[20]!, records[39]!]));
      expect(again.results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "duplicate"]);
    });

    test("a batch signed by an unknown key is refused with the reason and nothing is stored", async () => {
      const { db, central } = await setup();
      const stranger = await TestKiosk.create("hall-1-k9", { clock: central.clock });
      const res = await send(central, await stranger.batch(await stranger.records(2)));
      const body = await problem(res, 401);
      expect(body.code).toBe("unauthorized");
      expect(body.detail).toContain("is not registered");
      expect(body.retryable).toBe(true);
      expect(await count(db, "ingest_ledger")).toBe(0);
      expect(await count(db, "kiosk_cursors")).toBe(0);
    });

    test("a bad request signature, a body that does not match its digest, and a revoked key are refused", async () => {
      const { db, central, kiosk } = await setup();
      const request = await kiosk.batch(await kiosk.records(1));
      const forged = { ...request.init, headers: { ...request.init.headers, "X-Kiosk-Signature": request.init.headers["X-Kiosk-Signature"]!.replace(/^./, (c) => (c === "A" ? "B" : "A")) } };
      expect((await problem(await central.app.request(request.path, forged), 401)).detail).toContain("does not verify");
      const swapped = { ...request.init, body: new TextEncoder().encode(new TextDecoder().decode(request.body).replace('"epoch":1', '"epoch":2')) };
      expect((await problem(await central.app.request(request.path, swapped), 401)).detail).toContain("does not match the body");
      const unsigned = { method: "POST", headers: { "Content-Type": "application/json" }, body: request.body.slice() };
      expect((await problem(await central.app.request(request.path, unsigned), 401)).detail).toContain("missing header");
      await central.services.directory.revoke(kiosk.signer.keyId, central.clock.now());
      expect((await problem(await send(central, request), 401)).detail).toContain("revoked");
      expect(await count(db, "ingest_ledger")).toBe(0);
    });

    test("kiosk B replaying kiosk A's signed records is refused, says why, and stores nothing of A's records", async () => {
      const { db, central, kiosk: a } = await setup();
      const b = await TestKiosk.create("hall-1-k2", { clock: central.clock });
      await central.register(b);
      const aRecords = await a.records(3);

      // A's signed request sent to B's path: the key belongs to another kiosk.
      const aRequest = await a.batch(aRecords);
      const replayed = await central.app.request("/api/v1/kiosks/hall-1-k2/batches", aRequest.init);
      expect((await problem(replayed, 401)).detail).toContain("replayed from another device");

      // B signs the request itself but carries A's records.
      const reply = await accepted(central, await b.batch(aRecords));
      for (const result of reply.results) {
        expect(result.status).toBe("rejected");
        expect(result.reason).toBe("unknown-key");
        expect(result.message).toContain("replayed from another device");
      }
      expect(await count(db, "upstream_records")).toBe(0);
      expect(await count(db, "ingest_ledger", "kiosk_id = 'hall-1-k1'")).toBe(0);
      expect(await count(db, "ingest_ledger", "event_id is not null")).toBe(0);
      expect(await count(db, "integrity_alarms", "kiosk_id = 'hall-1-k2' and kind = 'unknown-key'")).toBe(3);

      // A's own upload afterwards is untouched by the replay: same event ids, all accepted.
      const own = await accepted(central, aRequest);
      expect(own.results.map((r) => r.status)).toEqual(["accepted", "accepted", "accepted"]);
      expect(await count(db, "upstream_records", "kiosk_id = 'hall-1-k1'")).toBe(3);
    });

    test("a record changed after signing is rejected alone; the others are accepted and the queue moves on", async () => {
      const { db, central, kiosk } = await setup();
      const records = await kiosk.records(4);
      const otherBody = JSON.stringify({ ...testVerificationResult(kiosk.kioskId, 99), outcome: "face-mismatch" });
      const bodyOnly = { ...records[1]!, body: otherBody };
      const bodyAndDigest = { ...records[2]!, body: otherBody, bodySha256: await sha256Hex(new TextEncoder().encode(otherBody)) };
      const reply = await accepted(central, await kiosk.batch([records[0]!, bodyOnly, bodyAndDigest, records[3]!]));
      expect(reply.results.map((r) => [r.seq, r.status, r.reason])).toEqual([
        [1, "accepted", undefined],
        [2, "rejected", "body-digest-mismatch"],
        [3, "rejected", "bad-signature"],
        [4, "accepted", undefined],
      ]);
      expect(reply.ackThrough).toBe(4);
      expect(await count(db, "upstream_records")).toBe(2);
      expect(await count(db, "ingest_rejections")).toBe(2);
      const [kept] = await db.sql`select record from ingest_rejections where seq = 3`;
      expect(JSON.parse(kept.record).body).toBe(otherBody);
      const kinds = await db.sql`select kind from integrity_alarms order by seq`;
      expect(kinds.map((r: { kind: string }) => r.kind)).toEqual(["body-digest-mismatch", "bad-signature"]);

      // The genuine record 2 arriving later is a conflict with what was settled: kept, alarmed, never overwriting.
      const genuine = await accepted(central, await kiosk.batch([records[1]!]));
      expect(genuine.results[0]).toMatchObject({ status: "rejected", reason: "conflict" });
      // Resending the tampered batch repeats the settled verdicts.
      const resend = await accepted(central, await kiosk.batch([records[0]!, bodyOnly, bodyAndDigest, records[3]!]));
      expect(resend.results.map((r) => r.status)).toEqual(["duplicate", "rejected", "rejected", "duplicate"]);
    });

    test("the same seq with different content is a conflict: the original is untouched and an alarm is recorded", async () => {
      const { db, central, kiosk } = await setup();
      const [original] = await kiosk.records(1);
      await accepted(central, await kiosk.batch([original!]));
      const { signature: _signature, bodySha256: _digest, ...fields } = original!;
      const imposter = await signTestRecord(kiosk.signer, kiosk.kioskId, kiosk.epoch, {
        ...fields,
        eventId: crypto.randomUUID(),
        body: JSON.stringify({ ...testVerificationResult(kiosk.kioskId, 1), outcome: "declined" }),
      });
      const reply = await accepted(central, await kiosk.batch([imposter]));
      expect(reply.results[0]).toMatchObject({ seq: 1, status: "rejected", reason: "conflict" });
      expect(reply.results[0]!.message).toContain("already settled with different content");
      expect(reply.ackThrough).toBe(1);
      const rows = await db.sql`select event_id, body from upstream_records`;
      expect(rows.map((r: { event_id: string; body: string }) => [r.event_id, r.body])).toEqual([[original!.eventId, original!.body]]);
      const [alarm] = await db.sql`select kind, seq from integrity_alarms`;
      expect([alarm.kind, Number(alarm.seq)]).toEqual(["conflict", 1]);
      expect(await count(db, "ingest_rejections", "reason = 'conflict'")).toBe(1);
      // Sending the conflict again does not pile up alarms.
      await accepted(central, await kiosk.batch([imposter]));
      expect(await count(db, "integrity_alarms")).toBe(1);
      const page = await (await central.app.request("/")).text();
      expect(page).toContain('data-alarm-kind="conflict"');
    });

    test("a validly signed record that breaks the hash chain is stored and raises a chain-break alarm", async () => {
      const { db, central, kiosk } = await setup();
      const [first] = await kiosk.records(1);
      const broken = await signTestRecord(kiosk.signer, kiosk.kioskId, kiosk.epoch, {
        seq: 2,
        eventId: crypto.randomUUID(),
        kind: "verification-result",
        schemaVersion: 2,
        createdAt: "2026-11-23T08:00:02.000Z",
        bootId: kiosk.bootId,
        body: JSON.stringify(testVerificationResult(kiosk.kioskId, 2)),
        prevHash: "f".repeat(64),
      });
      const reply = await accepted(central, await kiosk.batch([first!, broken]));
      expect(reply.results.map((r) => r.status)).toEqual(["accepted", "accepted"]);
      expect(await count(db, "upstream_records")).toBe(2);
      const alarms = await db.sql`select kind, seq, detail from integrity_alarms`;
      expect(alarms.map((a: { kind: string; seq: number | string }) => [a.kind, Number(a.seq)])).toEqual([["chain-break", 2]]);
    });

    test("unknown kinds, unknown versions, bodies off their schema and malformed records are rejected bad-schema", async () => {
      const { db, central, kiosk } = await setup();
      const body = JSON.stringify(testVerificationResult(kiosk.kioskId, 1));
      const make = (seq: number, extra: Partial<UpstreamRecord>) =>
        signTestRecord(kiosk.signer, kiosk.kioskId, kiosk.epoch, {
          seq,
          eventId: crypto.randomUUID(),
          kind: "verification-result",
          schemaVersion: 2,
          createdAt: "2026-11-23T08:00:00.000Z",
          bootId: kiosk.bootId,
          body,
          prevHash: "0".repeat(64),
          ...extra,
        });
      const records = [
        await make(1, { kind: "fingerprint-result" }),
        await make(2, { schemaVersion: 9 }),
        await make(3, { body: JSON.stringify({ ...testVerificationResult(kiosk.kioskId, 3), outcome: "maybe" }) }),
        await make(4, { body: JSON.stringify(testVerificationResult("hall-9-k9", 4)) }),
        { ...(await make(5, {})), eventId: "not-a-uuid" },
        await make(6, {}),
      ];
      const reply = await accepted(central, await kiosk.batch(records));
      expect(reply.results.map((r) => [r.seq, r.status, r.reason])).toEqual([
        [1, "rejected", "bad-schema"],
        [2, "rejected", "bad-schema"],
        [3, "rejected", "bad-schema"],
        [4, "rejected", "bad-schema"],
        [5, "rejected", "bad-schema"],
        [6, "accepted", undefined],
      ]);
      expect(reply.results[0]!.message).toContain('Unknown record kind "fingerprint-result"');
      expect(reply.results[2]!.message).toContain('"outcome"');
      // No personal data in the messages.
      expect(JSON.stringify(reply.results)).not.toContain("110101198001010037");
      expect(reply.ackThrough).toBe(6);
      expect(await count(db, "upstream_records")).toBe(1);
    });

    test("verification results of schema versions 1 and 2 are accepted, stored with their version and deduplicated", async () => {
      const { db, central, kiosk } = await setup();
      const records = [await kiosk.record(undefined, 1), await kiosk.record(), await kiosk.record(undefined, 1), await kiosk.record()];
      expect(records.map((r) => r.schemaVersion)).toEqual([1, 2, 1, 2]);
      expect(JSON.parse(records[1]!.body).signature.strokes.length).toBeGreaterThan(0);
      const reply = await accepted(central, await kiosk.batch(records));
      expect(reply.results.map((r) => [r.seq, r.status])).toEqual([
        [1, "accepted"],
        [2, "accepted"],
        [3, "accepted"],
        [4, "accepted"],
      ]);
      const rows = await db.sql`select seq, schema_version, body from upstream_records order by seq`;
      expect(rows.map((r: { seq: number | string; schema_version: number; body: string }) => [Number(r.seq), r.schema_version, r.body])).toEqual(
        records.map((r) => [r.seq, r.schemaVersion, r.body]),
      );
      const again = await accepted(central, await kiosk.batch(records));
      expect(again.results.map((r) => r.status)).toEqual(["duplicate", "duplicate", "duplicate", "duplicate"]);
      expect(again.ackThrough).toBe(4);
      expect(await count(db, "upstream_records")).toBe(4);
      expect(await count(db, "integrity_alarms")).toBe(0);
    });

    test("a body that claims version 2 but does not match it is rejected bad-schema with where and why", async () => {
      const { db, central, kiosk } = await setup();
      const v2 = testVerificationResult(kiosk.kioskId, 1);
      const { signature: _signature, ...unsigned } = v2;
      const claims2 = (body: unknown) => kiosk.record(JSON.stringify(body), 2);
      const records = [
        // A version 1 body under version 2: no attempts, no liveness result.
        await claims2(testVerificationResultV1(kiosk.kioskId, 1)),
        await claims2({ ...v2, signature: { ...v2.signature!, strokes: [[0, 0, 5000, 10]] } }),
        await claims2(unsigned),
        await claims2({ ...v2, attempts: [{ outcome: "not-matched", reasons: [], frame: "iVBORw0KGgo" }] }),
        await kiosk.record(),
      ];
      const reply = await accepted(central, await kiosk.batch(records));
      expect(reply.results.map((r) => [r.seq, r.status, r.reason])).toEqual([
        [1, "rejected", "bad-schema"],
        [2, "rejected", "bad-schema"],
        [3, "rejected", "bad-schema"],
        [4, "rejected", "bad-schema"],
        [5, "accepted", undefined],
      ]);
      const messages = reply.results.map((r) => r.message ?? "");
      expect(messages[0]).toContain("Body does not match verification-result v2 at");
      expect(messages[1]).toContain('at "signature.strokes.0.2"');
      expect(messages[2]).toContain('at "signature": verified without a signature');
      expect(messages[3]).toContain('at "attempts.0"');
      expect(JSON.stringify(reply.results)).not.toContain("110101198001010037");
      expect(reply.ackThrough).toBe(5);
      expect(await count(db, "upstream_records")).toBe(1);
      expect(await count(db, "ingest_rejections", "reason = 'bad-schema'")).toBe(4);
    });

    test("an event id already stored under another seq is rejected as a conflict", async () => {
      const { db, central, kiosk } = await setup();
      const [first] = await kiosk.records(1);
      await accepted(central, await kiosk.batch([first!]));
      const second = await kiosk.record();
      const reused = await signTestRecord(kiosk.signer, kiosk.kioskId, kiosk.epoch, { ...second, eventId: first!.eventId, bodySha256: second.bodySha256 });
      const reply = await accepted(central, await kiosk.batch([reused]));
      expect(reply.results[0]).toMatchObject({ seq: 2, status: "rejected", reason: "conflict" });
      expect(reply.results[0]!.message).toContain("eventId is already stored as seq 1");
      expect(reply.ackThrough).toBe(2);
      expect(await count(db, "upstream_records")).toBe(1);
    });

    test("gzip bodies are accepted and the receipt digests the compressed bytes; zip bombs and broken gzip are refused", async () => {
      const { db, central, kiosk } = await setup();
      const request = await kiosk.batch(await kiosk.records(20), { gzip: true });
      expect(request.init.headers["Content-Encoding"]).toBe("gzip");
      const reply = await accepted(central, request);
      expect(reply.ackThrough).toBe(20);
      expect(reply.receipt.batchDigest).toBe(await sha256Hex(request.body));

      // 64 MiB of spaces squeezes into a few tens of KiB: a signed bomb is stopped at the 1 MiB cap.
      const bomb = `{"kioskId":"hall-1-k1","epoch":1,"records":[${" ".repeat(64 * 1024 * 1024)}]}`;
      const bombRequest = await kiosk.batch([(await kiosk.records(1))[0]!], { gzip: true, json: bomb });
      expect(bombRequest.body.byteLength).toBeLessThan(200 * 1024);
      expect((await problem(await send(central, bombRequest), 413)).detail).toContain("Decompressed body exceeds");

      // An unsigned bomb is refused before anything is inflated.
      const unsigned = { ...bombRequest.init, headers: { ...bombRequest.init.headers, "X-Kiosk-Signature": "AAAA" } };
      await problem(await central.app.request(bombRequest.path, unsigned), 401);

      // A truncated gzip stream, properly signed: refused as bad gzip, nothing stored.
      const broken = await kiosk.batch(await kiosk.records(1), { gzip: true });
      const mangled = broken.body.slice(0, broken.body.length - 12);
      const headers = await reSign(kiosk, broken.path, broken.init.headers, mangled);
      expect((await problem(await central.app.request(broken.path, { method: "POST", headers, body: mangled }), 400)).detail).toContain("gzip");
      expect(await count(db, "upstream_records")).toBe(20);
    });

    test("the batch must name the kiosk of its path, match its idempotency key, be JSON and fit the limits", async () => {
      const { db, central, kiosk } = await setup();
      const records = await kiosk.records(2);
      const other = await kiosk.batch(records, { json: JSON.stringify({ kioskId: "hall-1-k2", epoch: 1, records }) });
      expect((await problem(await send(central, other), 400)).detail).toContain('names kiosk "hall-1-k2"');
      const wrongKey = await kiosk.batch(records, { json: JSON.stringify({ kioskId: kiosk.kioskId, epoch: 1, records: [records[1], records[0]] }) });
      expect((await problem(await send(central, wrongKey), 400)).detail).toContain("Idempotency-Key");
      const text = await kiosk.batch(records);
      await problem(await central.app.request(text.path, { ...text.init, headers: { ...text.init.headers, "Content-Type": "text/plain" } }), 415);
      await problem(await central.app.request(text.path, { ...text.init, headers: { ...text.init.headers, "Content-Encoding": "br" } }), 415);
      const huge = await kiosk.batch(records, { json: JSON.stringify({ kioskId: kiosk.kioskId, epoch: 1, records, pad: "x".repeat(1_200_000) }) });
      await problem(await send(central, huge), 413);
      const empty = await kiosk.batch([], {});
      expect((await problem(await send(central, empty), 400)).detail).toContain("records");
      expect(await count(db, "ingest_ledger")).toBe(0);
    });

    test("admission control answers 429 with Retry-After when every slot is busy, and stores nothing", async () => {
      const { db, central, kiosk } = await setup({ maxConcurrentBatches: 2 });
      const request = await kiosk.batch(await kiosk.records(2));
      const held = [central.services.admission.tryEnter(), central.services.admission.tryEnter()];
      expect(held.every((release) => release !== undefined)).toBe(true);
      const res = await send(central, request);
      expect(res.headers.get("retry-after")).toBe("7");
      expect((await problem(res, 429)).code).toBe("overloaded");
      expect(await count(db, "ingest_ledger")).toBe(0);
      held[0]!();
      expect((await accepted(central, request)).ackThrough).toBe(2);
      expect(central.services.admission.inUse).toBe(1);
      held[1]!();
    });

    test("concurrent uploads of the same batch settle each seq once", async () => {
      const { db, central, kiosk } = await setup({ maxConcurrentBatches: 8 });
      const records = await kiosk.records(50);
      const requests = await Promise.all([1, 2, 3].map(() => kiosk.batch(records)));
      const replies = await Promise.all(requests.map((request) => accepted(central, request)));
      const statuses = replies.flatMap((r) => r.results.map((s) => s.status));
      expect(statuses.filter((s) => s === "accepted")).toHaveLength(50);
      expect(statuses.filter((s) => s === "duplicate")).toHaveLength(100);
      expect(replies.map((r) => r.ackThrough)).toEqual([50, 50, 50]);
      expect(await count(db, "upstream_records")).toBe(50);
    });

    test("epochs are separate sequences: a reprovisioned kiosk starts again at seq 1", async () => {
      const { db, central, kiosk } = await setup();
      await accepted(central, await kiosk.batch(await kiosk.records(2)));
      const next = await TestKiosk.create(kiosk.kioskId, { epoch: 2, signer: kiosk.signer, clock: central.clock });
      const reply = await accepted(central, await next.batch(await next.records(1)));
      expect(reply.results).toEqual([{ seq: 1, status: "accepted" }]);
      expect(reply.receipt.epoch).toBe(2);
      expect(reply.ackThrough).toBe(1);
      expect(await count(db, "kiosk_cursors")).toBe(2);
    });
  });
}

// Signs `body` again under the same idempotency key, timestamp and nonce, for bodies the test kiosk would never make.
async function reSign(kiosk: TestKiosk, path: string, headers: Record<string, string>, body: Uint8Array): Promise<Record<string, string>> {
  const contentSha256 = await sha256Hex(body);
  const idempotencyKey = headers["Idempotency-Key"]!;
  const timestamp = headers["X-Kiosk-Timestamp"]!;
  const nonce = headers["X-Kiosk-Nonce"]!;
  const signature = await signBase64Url(
    kiosk.signer,
    requestSigningInput({ method: "POST", path, idempotencyKey, contentSha256, keyId: kiosk.signer.keyId, timestamp, nonce }),
  );
  return { ...headers, "X-Content-SHA256": contentSha256, "X-Kiosk-Signature": signature };
}
