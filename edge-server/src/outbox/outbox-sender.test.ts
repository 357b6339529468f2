import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner, importVerifyKey, KioskError, MAX_BATCH_BYTES, problemResponse, sha256Hex, type RecordStatus } from "@kiosk/contracts";
import { FetchUpstreamClient } from "../adapters/upstream-client-fetch.ts";
import { SqliteOutbox } from "../store/sqlite-outbox.ts";
import { countingSealer, KIOSK_ID, openTestStore, sampleResult, type TestStore } from "../store/testing/store-fixtures.ts";
import { CentralClock } from "./central-clock.ts";
import type { OutboxRepository } from "./outbox-repository.ts";
import { OutboxSender } from "./outbox-sender.ts";
import { FakeCentral, type ReceivedBatch } from "./testing/fake-central.ts";

interface Setup {
  t: TestStore;
  central: FakeCentral;
  sender: OutboxSender;
  /** Advances the fake clock by `ms` and waits for any attempt it started. */
  run(ms?: number): Promise<void>;
  /** The delay until the next scheduled attempt. */
  nextDelay(): number | null;
}

let current: Setup | undefined;
afterEach(async () => {
  await current?.sender.stop();
  await current?.central.stop();
  current?.t.dispose();
  current = undefined;
});

async function setup(options: { random?: () => number; withKey?: boolean; repository?: (t: TestStore) => OutboxRepository } = {}): Promise<Setup> {
  const t = await openTestStore();
  const receiptSigner = await generateSigner();
  const central = await FakeCentral.start({ receiptSigner, kioskPublicKey: t.signer.publicKey });
  const sender = new OutboxSender({
    repository: options.repository?.(t) ?? t.outbox,
    upstream: new FetchUpstreamClient({ url: central.url, timeoutMs: 10_000 }),
    signer: t.signer,
    centralClock: new CentralClock(t.clock),
    central: options.withKey === false ? undefined : { keyId: receiptSigner.keyId, key: await importVerifyKey(receiptSigner.publicKey) },
    clock: t.clock,
    log: t.log,
    random: options.random ?? (() => 0.5),
    maxRecords: 500,
    maxBytes: MAX_BATCH_BYTES,
    backoff: { baseMs: 1_000, capMs: 60_000 },
    idlePollMs: 60_000,
  });
  t.store.onAppend(() => sender.notify());
  current = {
    t,
    central,
    sender,
    async run(ms = 0) {
      await t.clock.advance(ms);
      await sender.whenIdle();
    },
    nextDelay() {
      const at = sender.state.nextAttemptAtMs;
      return at === null ? null : at - t.clock.now();
    },
  };
  return current;
}

async function saveResults(t: TestStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await t.store.saveResult(sampleResult());
}

async function states(t: TestStore, seqs: number[]): Promise<string[]> {
  const state = t.db.query<{ state: string }, [number]>("SELECT o.state FROM outbox o JOIN records r ON r.id = o.record_id WHERE r.epoch = 1 AND r.seq = ?");
  return seqs.map((seq) => state.get(seq)?.state ?? "missing");
}

describe("OutboxSender against a real HTTP central", () => {
  test("sends a signed gzip batch and acknowledges only after verifying the receipt", async () => {
    const { t, central, sender, run } = await setup();
    await saveResults(t, 3);
    await sender.start();
    await run();
    expect(central.batches).toHaveLength(1);
    const batch = central.batches[0]!;
    expect(batch.path).toBe(`/api/v1/kiosks/${KIOSK_ID}/batches`);
    expect(batch.headers.get("content-encoding")).toBe("gzip");
    expect(batch.headers.get("idempotency-key")).toBe(`${KIOSK_ID}:1:1-3`);
    expect(batch.headers.get("x-kiosk-key-id")).toBe(t.signer.keyId);
    expect(batch.signatureValid).toBe(true);
    expect(batch.body.records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(batch.body.records[0]?.signature).toBe((await t.store.readRecord(1, 1))!.signature);
    expect(await states(t, [1, 2, 3])).toEqual(["acked", "acked", "acked"]);
    expect(t.outbox.stats()).toMatchObject({ backlog: 0, quarantined: 0, lastAckAtMs: t.clock.now() });
    const stored = t.db.query("SELECT ack_through, batch_digest FROM receipts").all();
    expect(stored).toEqual([{ ack_through: 3, batch_digest: batch.digest }]);
    expect(sender.state).toMatchObject({ lastError: null, consecutiveFailures: 0 });
  });

  test("a captive portal's HTTP 200 page never counts as an acknowledgement", async () => {
    const { t, central, sender, run } = await setup();
    central.respond = () => new Response("<html><body>Welcome to Hall Wi-Fi, please log in</body></html>", { headers: { "Content-Type": "text/html" } });
    await saveResults(t, 2);
    await sender.start();
    await run();
    expect(central.batches).toHaveLength(1);
    expect(await states(t, [1, 2])).toEqual(["pending", "pending"]);
    expect(sender.state.lastError).toMatchObject({ code: "central-rejected" });
    expect(sender.state.lastError?.message).toContain("not JSON");
    central.respond = undefined;
    await run(500);
    expect(await states(t, [1, 2])).toEqual(["acked", "acked"]);
  });

  test("a receipt signed by another key, forged under central's key id, for another digest or verdicts, or beyond the kiosk's records is refused", async () => {
    const { t, central, sender, run } = await setup({ random: () => 0 });
    const stranger = await generateSigner();
    const results: RecordStatus[] = [
      { seq: 1, status: "accepted" },
      { seq: 2, status: "accepted" },
    ];
    const reply = async (receipt: Awaited<ReturnType<FakeCentral["receipt"]>>, listed: RecordStatus[] = results) =>
      Response.json({ ackThrough: receipt.ackThrough, results: listed, gaps: [], receipt });
    const signed = (b: { digest: string }, extra: Partial<{ kioskId: string; ackThrough: number; batchDigest: string }> = {}) => ({
      kioskId: KIOSK_ID,
      epoch: 1,
      ackThrough: 2,
      batchDigest: b.digest,
      results,
      ...extra,
    });
    const variants: Array<[string, FakeCentral["respond"]]> = [
      ["another key", async (b, c) => reply(await c.receipt(signed(b), stranger))],
      ["forged key id", async (b, c) => reply(await c.receipt(signed(b), stranger, (await generateSigner()).keyId))],
      ["forged signature", async (b, c) => {
        const good = await c.receipt(signed(b));
        const forged = await c.receipt(signed(b), stranger, good.keyId);
        return reply(forged);
      }],
      ["another digest", async (b, c) => reply(await c.receipt(signed(b, { batchDigest: await sha256Hex(new TextEncoder().encode(b.json)) })))],
      ["altered verdicts", async (b, c) => {
        const receipt = await c.receipt({ ...signed(b, { ackThrough: 0 }), results: [{ seq: 1, status: "rejected", reason: "bad-schema" }, { seq: 2, status: "rejected", reason: "bad-schema" }] });
        return reply(receipt);
      }],
      ["another kiosk", async (b, c) => reply(await c.receipt(signed(b, { kioskId: "hall-7-k2" })))],
      ["beyond the kiosk's records", async (b, c) => reply(await c.receipt(signed(b, { ackThrough: 99 })))],
    ];
    await saveResults(t, 2);
    await sender.start();
    for (const [name, respond] of variants) {
      central.respond = respond;
      await run();
      expect({ name, states: await states(t, [1, 2]) }).toEqual({ name, states: ["pending", "pending"] });
      expect(sender.state.lastError?.message).toContain("not a valid receipt");
    }
    expect(central.batches).toHaveLength(variants.length);
    expect(t.records.some((r) => r.level === "error" && r.msg.includes("integrity alarm"))).toBe(true);
    central.respond = undefined;
    await run();
    expect(await states(t, [1, 2])).toEqual(["acked", "acked"]);
  });

  test("backs off exponentially with full jitter from 1 s to 60 s, forever", async () => {
    const { t, central, sender, run, nextDelay } = await setup({ random: () => 0.5 });
    central.respond = () => new Response("busy", { status: 503 });
    await saveResults(t, 1);
    await sender.start();
    await run();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      const delay = nextDelay()!;
      delays.push(delay);
      await run(delay);
    }
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
    expect(sender.state.consecutiveFailures).toBe(10);
    expect(central.batches).toHaveLength(10);
    expect(t.records.filter((r) => r.msg === "cannot deliver results to central; will retry")).toHaveLength(1);
  });

  test("the jitter comes from the injected random source", async () => {
    const values = [0.1, 0.9, 0];
    const { t, central, sender, run, nextDelay } = await setup({ random: () => values.shift() ?? 0 });
    central.respond = () => new Response("busy", { status: 502 });
    await saveResults(t, 1);
    await sender.start();
    await run();
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      delays.push(nextDelay()!);
      await run(delays[i]);
    }
    expect(delays).toEqual([100, 1_800, 0]);
  });

  test("honours Retry-After, even against a nudge, then delivers", async () => {
    const { t, central, sender, run, nextDelay } = await setup({ random: () => 0.5 });
    central.respond = () => new Response("slow down", { status: 429, headers: { "Retry-After": "120" } });
    await saveResults(t, 1);
    await sender.start();
    await run();
    expect(nextDelay()).toBe(120_000);
    central.respond = undefined;
    sender.nudge();
    expect(nextDelay()).toBe(120_000);
    await run(119_999);
    expect(central.batches).toHaveLength(1);
    await run(1);
    expect(central.batches).toHaveLength(2);
    expect(await states(t, [1])).toEqual(["acked"]);
  });

  test("a nudge (network back) tries at once instead of waiting out the back-off", async () => {
    const { t, central, sender, run, nextDelay } = await setup({ random: () => 0.99 });
    central.respond = () => new Response("down", { status: 503 });
    await saveResults(t, 1);
    await sender.start();
    for (let i = 0; i < 5; i++) await run(nextDelay() ?? 0);
    expect(nextDelay()).toBeGreaterThan(15_000);
    central.respond = undefined;
    sender.nudge();
    await run();
    expect(await states(t, [1])).toEqual(["acked"]);
    expect(sender.state.consecutiveFailures).toBe(0);
  });

  test("quarantines a record central refuses and moves on; a conflict raises an integrity alarm", async () => {
    const { t, central, sender, run } = await setup();
    central.reject.set(2, "bad-schema");
    central.reject.set(3, "conflict");
    await saveResults(t, 4);
    await sender.start();
    await run();
    // Refusals named per record settle in the one request.
    expect(central.batches).toHaveLength(1);
    expect(await states(t, [1, 2, 3, 4])).toEqual(["acked", "quarantined", "quarantined", "acked"]);
    expect((await t.store.readRecord(1, 2))?.rejectReason).toBe("bad-schema");
    expect((await t.store.readRecord(1, 3))?.rejectReason).toBe("conflict");
    expect(t.outbox.stats()).toMatchObject({ backlog: 0, quarantined: 2 });
    const alarm = t.records.find((r) => r.level === "error" && r.msg.includes("integrity alarm"));
    expect(alarm).toMatchObject({ epoch: 1, seqs: [3] });
    await saveResults(t, 1);
    await run();
    expect(await states(t, [5])).toEqual(["acked"]);
  });

  test("drains a backlog back-to-back in batches of at most 500 records", async () => {
    const { t, central, sender, run } = await setup();
    await saveResults(t, 1_100);
    const startedAt = t.clock.now();
    await sender.start();
    await run();
    expect(central.batches.map((b) => b.body.records.length)).toEqual([500, 500, 100]);
    expect(central.batches.map((b) => b.headers.get("idempotency-key"))).toEqual([`${KIOSK_ID}:1:1-500`, `${KIOSK_ID}:1:501-1000`, `${KIOSK_ID}:1:1001-1100`]);
    expect(t.clock.now()).toBe(startedAt);
    expect(t.outbox.stats().backlog).toBe(0);
    expect(central.ackThrough(1)).toBe(1_100);
  });

  test("a batch holds at most 1 MiB of JSON, and no body is decrypted that is not sent", async () => {
    let sealer: ReturnType<typeof countingSealer> | undefined;
    const { t, central, sender, run } = await setup({ repository: (store) => new SqliteOutbox(store.db, (sealer = countingSealer(store.sealer)), store.log) });
    for (let i = 0; i < 6; i++) {
      await t.store.appendRecord({ eventId: crypto.randomUUID(), kind: "test-blob", schemaVersion: 1, body: JSON.stringify({ blob: "x".repeat(200_000) }) });
    }
    await sender.start();
    await run();
    expect(central.batches.map((b) => b.body.records.length)).toEqual([5, 1]);
    for (const b of central.batches) expect(new TextEncoder().encode(b.json).length).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    expect(central.batches[0]!.raw.length).toBeLessThan(100_000);
    expect(t.outbox.stats().backlog).toBe(0);
    expect(sealer?.opened).toBe(6);
  });

  test("keeps one batch in flight, whatever nudges and new records arrive meanwhile", async () => {
    const { t, central, sender, run } = await setup();
    await saveResults(t, 2);
    const release = central.hold();
    const arrived = central.nextArrival();
    await sender.start();
    await t.clock.advance(0);
    await arrived;
    sender.nudge();
    sender.nudge();
    sender.notify();
    await saveResults(t, 2);
    await t.clock.advance(5_000);
    expect(central.batches).toHaveLength(1);
    expect(central.inFlight).toBe(1);
    release();
    await sender.whenIdle();
    await run();
    expect(central.maxInFlight).toBe(1);
    expect(central.batches.map((b) => b.body.records.map((r) => r.seq))).toEqual([[1, 2], [3, 4]]);
    expect(await states(t, [1, 2, 3, 4])).toEqual(["acked", "acked", "acked", "acked"]);
  });

  test("reads the next batch ahead during a request, but sends it only after the receipt, and re-reads it if the queue changed", async () => {
    const { t, central, sender, run } = await setup();
    await saveResults(t, 1_001);
    const release = central.hold();
    const arrived = central.nextArrival();
    await sender.start();
    await t.clock.advance(0);
    await arrived;
    // While batch 1-500 is in flight, seq 501 leaves the queue.
    t.outbox.settle({ kioskId: KIOSK_ID, epoch: 1, acked: [], quarantined: [{ seq: 501, reason: "bad-schema", message: null }], receipt: null, atMs: 1 });
    expect(central.batches).toHaveLength(1);
    release();
    await sender.whenIdle();
    await run();
    expect(central.maxInFlight).toBe(1);
    const sent = central.batches.map((b) => b.body.records.map((r) => r.seq));
    expect(sent.map((seqs) => [seqs[0], seqs[seqs.length - 1]])).toEqual([[1, 500], [502, 1_001]]);
    expect(t.outbox.stats()).toMatchObject({ backlog: 0, quarantined: 1 });
  });

  describe("a batch refused as a whole because of one record (real jitter)", () => {
    const N = 256;
    const BOUND = Math.ceil(Math.log2(N)) + 2;

    // Central refuses, with 400, every batch that holds `poison`.
    async function poisoned(poison: number, n = N) {
      const s = await setup({ random: Math.random });
      s.central.respond = (b) => (b.body.records.some((r) => r.seq === poison) ? Response.json({ title: "Bad request" }, { status: 400 }) : undefined);
      await saveResults(s.t, n);
      return s;
    }

    // Runs until the backlog is empty, waiting out whatever the sender schedules.
    async function drain({ t, run, nextDelay }: Setup): Promise<void> {
      for (let i = 0; i < 200 && t.outbox.stats().backlog > 0; i++) await run(nextDelay() ?? 0);
    }

    test(`isolates the record at fault among ${N} in at most ${BOUND} requests, with no back-off wait, and newer results flow`, async () => {
      const s = await poisoned(173);
      const { t, central, sender } = s;
      const respond = central.respond;
      let added = false;
      // Results saved while the search runs are delivered too.
      central.respond = async (b, c) => {
        if (!added && b.body.records.length < N) {
          added = true;
          await saveResults(t, 4);
        }
        return respond?.(b, c);
      };
      const startedAt = t.clock.now();
      await sender.start();
      await drain(s);
      const sent = central.batches.map((b) => b.body.records.map((r) => r.seq));
      const isolated = sent.findIndex((seqs) => seqs.length === 1 && seqs[0] === 173) + 1;
      expect(isolated).toBeGreaterThan(0);
      expect(isolated).toBeLessThanOrEqual(BOUND);
      // The records after it go in the next request.
      expect(sent).toHaveLength(isolated + 1);
      expect(sent[isolated]).toEqual([...Array.from({ length: N - 173 }, (_, i) => 174 + i), 257, 258, 259, 260]);
      expect(t.clock.now() - startedAt).toBe(0);
      expect(t.outbox.stats()).toMatchObject({ backlog: 0, quarantined: 1 });
      expect((await t.store.readRecord(1, 173))?.rejectReason).toBe("refused-400");
      expect(central.settledSeqs(1)).toEqual(Array.from({ length: N + 4 }, (_, i) => i + 1).filter((seq) => seq !== 173));
      expect(sender.state).toMatchObject({ lastError: null, consecutiveFailures: 0 });
      expect(t.records.filter((r) => r.msg === "central refused a batch as a whole; halving it to find the record at fault")).toHaveLength(1);
    });

    test("the bound holds wherever the record sits", async () => {
      for (const poison of [1, 2, 128, 129, 255, 256]) {
        const s = await poisoned(poison);
        const startedAt = s.t.clock.now();
        await s.sender.start();
        await drain(s);
        const sent = s.central.batches.map((b) => b.body.records.map((r) => r.seq));
        const isolated = sent.findIndex((seqs) => seqs.length === 1 && seqs[0] === poison) + 1;
        expect({ poison, isolated: isolated > 0 && isolated <= BOUND, waitedMs: s.t.clock.now() - startedAt }).toEqual({ poison, isolated: true, waitedMs: 0 });
        expect(s.t.outbox.stats()).toMatchObject({ backlog: 0, quarantined: 1 });
        await s.sender.stop();
        await s.central.stop();
        s.t.dispose();
        current = undefined;
      }
    });
  });

  test("a record whose body cannot be decrypted is sent with its signed header so central settles it", async () => {
    const { t, central, sender, run } = await setup();
    await saveResults(t, 2);
    t.db.run("UPDATE records SET body_sealed = (SELECT body_sealed FROM records WHERE seq = 2) WHERE seq = 1");
    central.reject.set(1, "body-digest-mismatch");
    await sender.start();
    await run();
    expect(central.batches[0]?.body.records[0]).toMatchObject({ seq: 1, body: "" });
    expect(await states(t, [1, 2])).toEqual(["quarantined", "acked"]);
    expect(t.records.some((r) => r.level === "error" && r.msg.includes("cannot be decrypted"))).toBe(true);
  });

  test("without central's key nothing is sent and the health report says why", async () => {
    const { t, central, sender, run } = await setup({ withKey: false });
    await saveResults(t, 1);
    await sender.start();
    await run(600_000);
    expect(central.batches).toHaveLength(0);
    expect(sender.state.lastError).toMatchObject({ code: "config-invalid" });
    expect(t.outbox.stats().backlog).toBe(1);
  });

  test("stop abandons the request in flight and leaves its records pending", async () => {
    const { t, central, sender } = await setup();
    await saveResults(t, 2);
    const release = central.hold();
    const arrived = central.nextArrival();
    await sender.start();
    await t.clock.advance(0);
    await arrived;
    await sender.stop();
    release();
    expect(await states(t, [1, 2])).toEqual(["pending", "pending"]);
    expect(t.clock.pendingCount).toBe(0);
  });

  test("a wrong kiosk clock: the expired refusal corrects the request times and the batch goes through at once, as a new request under the same Idempotency-Key", async () => {
    const { t, central, sender, run } = await setup();
    // Central's clock runs 300 days ahead of this kiosk's (a kiosk that lost its time).
    const aheadMs = 300 * 86_400_000;
    const window = 300_000;
    central.respond = (batch) => {
      const centralNow = t.clock.now() + aheadMs;
      const requestTime = batch.headers.get("x-kiosk-timestamp") ?? "";
      const skewMs = Date.parse(requestTime) - centralNow;
      if (Math.abs(skewMs) <= window) return undefined;
      const details = { centralTime: new Date(centralNow).toISOString(), requestTime, skewMs, windowMs: window };
      return problemResponse(new KioskError("request-expired", "Request timestamp is outside the window", { details }));
    };
    await saveResults(t, 2);
    await sender.start();
    await run();
    expect(central.batches).toHaveLength(2);
    const [refused, retried] = central.batches as [ReceivedBatch, ReceivedBatch];
    expect(retried.headers.get("idempotency-key")).toBe(refused.headers.get("idempotency-key"));
    expect(retried.headers.get("x-kiosk-nonce")).not.toBe(refused.headers.get("x-kiosk-nonce"));
    expect(Date.parse(retried.headers.get("x-kiosk-timestamp")!)).toBe(t.clock.now() + aheadMs);
    expect(retried.signatureValid).toBe(true);
    expect(await states(t, [1, 2])).toEqual(["acked", "acked"]);
    expect(sender.state).toMatchObject({ lastError: null, consecutiveFailures: 0 });
    // The correction holds: the next batch is taken the first time.
    await saveResults(t, 1);
    await run();
    expect(central.batches).toHaveLength(3);
    expect(await states(t, [3])).toEqual(["acked"]);
  });
});
