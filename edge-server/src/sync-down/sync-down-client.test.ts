import { afterEach, describe, expect, test } from "bun:test";
import {
  fromBase64Url,
  generateSigner,
  importVerifyKey,
  KIOSK_REQUEST_HEADERS,
  KioskError,
  problemResponse,
  requestSigningInput,
  sha256Hex,
  signBase64Url,
  syncSigningInput,
  verifySignature,
  type BlocklistChange,
  type Matter,
  type Signer,
  type SyncResponse,
} from "@kiosk/contracts";
import { FetchUpstreamClient } from "../adapters/upstream-client-fetch.ts";
import { openTestStore, type TestStore } from "../store/testing/store-fixtures.ts";
import { CentralClock } from "../outbox/central-clock.ts";
import { SyncDownClient } from "./sync-down-client.ts";

const KIOSK = "hall-7-k1";
const ALICE = "110101198001010053";
const BOB = "440301199912120028";

type Change = { matter: Matter } | { block: BlocklistChange };

/** Central's sync endpoint on a real socket, signing each page with a real Ed25519 key. */
class SyncCentral {
  readonly changes: Change[] = [];
  readonly cursors: number[] = [];
  pageSize = 2;
  hallId = "hall-7";
  /** Changes the signed answer before it is sent. */
  tamper: ((reply: SyncResponse) => Promise<SyncResponse> | SyncResponse) | undefined;
  badRequestSignatures = 0;
  /** Central's clock; when set, requests stamped more than 5 minutes from it are refused as expired. */
  nowMs: number | undefined;
  expiredRefusals = 0;
  server: ReturnType<typeof Bun.serve> | undefined;

  constructor(
    readonly signer: Signer,
    readonly kioskKey: CryptoKey,
  ) {}

  start(): string {
    this.server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => this.#handle(req) });
    return `http://127.0.0.1:${this.server.port}`;
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const h = KIOSK_REQUEST_HEADERS;
    const cursor = Number(url.searchParams.get("cursor"));
    const input = requestSigningInput({
      method: req.method,
      path: url.pathname + url.search,
      idempotencyKey: req.headers.get(h.idempotencyKey) ?? "",
      contentSha256: req.headers.get(h.contentSha256) ?? "",
      keyId: req.headers.get(h.keyId) ?? "",
      timestamp: req.headers.get(h.timestamp) ?? "",
      nonce: req.headers.get(h.nonce) ?? "",
    });
    const skewMs = Date.parse(req.headers.get(h.timestamp) ?? "") - (this.nowMs ?? Number.NaN);
    if (Math.abs(skewMs) > 300_000) {
      this.expiredRefusals += 1;
      const centralTime = new Date(this.nowMs as number).toISOString();
      const details = { centralTime, requestTime: req.headers.get(h.timestamp), skewMs, windowMs: 300_000 };
      return problemResponse(new KioskError("request-expired", "Request timestamp is outside the window", { details }));
    }
    const ok =
      req.headers.get(h.idempotencyKey) === `sync:${cursor}` &&
      req.headers.get(h.contentSha256) === (await sha256Hex(new Uint8Array(0))) &&
      (await verifySignature(this.kioskKey, fromBase64Url(req.headers.get(h.signature) ?? ""), input));
    if (!ok) {
      this.badRequestSignatures += 1;
      return new Response("bad signature", { status: 401 });
    }
    this.cursors.push(cursor);
    const slice = this.changes.slice(cursor, cursor + this.pageSize);
    const toCursor = cursor + slice.length;
    const payload = JSON.stringify({
      kioskId: KIOSK,
      hallId: this.hallId,
      fromCursor: cursor,
      toCursor,
      complete: toCursor >= this.changes.length,
      matters: slice.flatMap((c) => ("matter" in c ? [c.matter] : [])),
      blocklist: slice.flatMap((c) => ("block" in c ? [c.block] : [])),
      generatedAt: "2026-03-01T07:00:00.000Z",
    });
    let reply: SyncResponse = { payload, keyId: this.signer.keyId, signature: await signBase64Url(this.signer, syncSigningInput(this.signer.keyId, payload)) };
    if (this.tamper) reply = await this.tamper(reply);
    return Response.json(reply);
  }
}

function matter(id: string, persons: string[], status: Matter["status"] = "open"): Matter {
  return {
    matterId: id,
    kind: "establishment",
    companyName: `示例公司 ${id}`,
    hallId: "hall-7",
    status,
    persons: persons.map((idNumber) => ({ idNumber, name: "某人", role: "shareholder" as const })),
    updatedAt: "2026-03-01T07:00:00.000Z",
  };
}

interface Setup {
  t: TestStore;
  central: SyncCentral;
  client: SyncDownClient;
  url: string;
  run(ms?: number): Promise<void>;
}

let current: Setup | undefined;
afterEach(async () => {
  await current?.client.stop();
  await current?.central.server?.stop(true);
  current?.t.dispose();
  current = undefined;
});

async function setup(options: { t?: TestStore; central?: SyncCentral; centralClock?: CentralClock } = {}): Promise<Setup> {
  const t = options.t ?? (await openTestStore({ kioskId: KIOSK }));
  const central = options.central ?? new SyncCentral(await generateSigner(), await importVerifyKey(t.signer.publicKey));
  const url = central.server ? `http://127.0.0.1:${central.server.port}` : central.start();
  const client = new SyncDownClient({
    kioskId: KIOSK,
    cache: t.cache,
    upstream: new FetchUpstreamClient({ url, timeoutMs: 10_000 }),
    signer: t.signer,
    centralClock: options.centralClock ?? new CentralClock(t.clock),
    central: { keyId: central.signer.keyId, key: await importVerifyKey(central.signer.publicKey) },
    clock: t.clock,
    log: t.log,
    random: () => 0.5,
    pullIntervalMs: 300_000,
    backoff: { baseMs: 1_000, capMs: 60_000 },
  });
  current = {
    t,
    central,
    client,
    url,
    async run(ms = 0) {
      await t.clock.advance(ms);
      await client.whenIdle();
    },
  };
  return current;
}

function seed(central: SyncCentral): void {
  central.changes.push(
    { matter: matter("M-1", [ALICE]) },
    { block: { cardNumber: BOB, listed: true, reason: "stolen" } },
    { matter: matter("M-2", [ALICE, BOB]) },
    { matter: matter("M-3", [BOB]) },
    { matter: matter("M-3", [BOB], "cancelled") },
  );
}

describe("SyncDownClient against a real HTTP central", () => {
  test("pulls signed pages in order until complete and answers matter and blocklist queries", async () => {
    const { central, client, run } = await setup();
    seed(central);
    expect(client.hallId()).toBeNull();
    await client.start();
    await run();
    expect(client.hallId()).toBe("hall-7");
    expect(central.cursors).toEqual([0, 2, 4]);
    expect(central.badRequestSignatures).toBe(0);
    expect((await client.pendingMatters(ALICE)).map((m) => m.matterId)).toEqual(["M-1", "M-2"]);
    expect((await client.pendingMatters(BOB)).map((m) => m.matterId)).toEqual(["M-2"]);
    expect(await client.isBlocklisted(BOB)).toBe(true);
    expect(await client.blocklistEntry(BOB)).toEqual({ listed: true, reason: "stolen" });
    expect(await client.isBlocklisted(ALICE)).toBe(false);
    expect(client.health()).toMatchObject({ cursor: 5, lastCompleteAt: "2026-03-01T08:00:00.000Z", cacheAgeS: 0, openMatters: 2, blocklisted: 1, lastError: null });
  });

  test("pulls again at its interval and on nudge", async () => {
    const { central, client, run } = await setup();
    seed(central);
    await client.start();
    await run();
    central.changes.push({ block: { cardNumber: BOB, listed: false } });
    await run(299_999);
    expect(await client.isBlocklisted(BOB)).toBe(true);
    await run(1);
    expect(await client.isBlocklisted(BOB)).toBe(false);
    central.changes.push({ block: { cardNumber: ALICE, listed: true, reason: "lost" } });
    client.nudge();
    await run();
    expect(await client.isBlocklisted(ALICE)).toBe(true);
    expect(central.cursors.slice(-2)).toEqual([5, 6]);
  });

  test("refuses a page signed by another key, even under central's key id, and applies nothing", async () => {
    const { t, central, client, run } = await setup();
    seed(central);
    const stranger = await generateSigner();
    central.tamper = async (reply) => ({ ...reply, signature: await signBase64Url(stranger, syncSigningInput(reply.keyId, reply.payload)) });
    await client.start();
    await run();
    expect(client.health()).toMatchObject({ cursor: 0, openMatters: 0, blocklisted: 0, lastCompleteAt: null });
    expect(client.health().lastError?.message).toContain("signature does not verify");
    central.tamper = async (reply) => ({ payload: reply.payload, keyId: stranger.keyId, signature: await signBase64Url(stranger, syncSigningInput(stranger.keyId, reply.payload)) });
    await run(1_000);
    expect(client.health().lastError?.message).toContain("not central's key");
    expect(t.cache.counts()).toEqual({ openMatters: 0, blocklisted: 0 });
    central.tamper = undefined;
    await run(2_000);
    expect(client.health()).toMatchObject({ cursor: 5, lastError: null });
  });

  test("refuses a tampered payload", async () => {
    const { central, client, run } = await setup();
    seed(central);
    central.tamper = (reply) => ({ ...reply, payload: reply.payload.replace(ALICE, "110101198001010037") });
    await client.start();
    await run();
    expect(client.health()).toMatchObject({ cursor: 0, openMatters: 0 });
    expect(client.health().lastError).toMatchObject({ code: "central-rejected", message: expect.stringContaining("signature does not verify") });
    central.tamper = undefined;
    await run(500);
    expect(client.health()).toMatchObject({ cursor: 5, lastError: null });
  });

  test("refuses a replayed page: validly signed, but for another cursor", async () => {
    const { central, client, run } = await setup();
    seed(central);
    let firstPage: SyncResponse | undefined;
    central.tamper = (reply) => {
      firstPage ??= reply;
      return reply;
    };
    await client.start();
    await run();
    expect(client.health().cursor).toBe(5);
    central.changes.push({ block: { cardNumber: BOB, listed: false } });
    central.tamper = () => firstPage!;
    client.nudge();
    await run();
    expect(client.health().lastError?.message).toContain("starts at cursor 0, not 5");
    expect(client.health().cursor).toBe(5);
    expect(await client.isBlocklisted(BOB)).toBe(true);
  });

  test("survives a restart from its cursor, and answers from the cache while central is down", async () => {
    const first = await setup({ t: await openTestStore({ kioskId: KIOSK, file: true }) });
    seed(first.central);
    await first.client.start();
    await first.run();
    await first.client.stop();
    const { dir, signer, dataKey } = first.t;
    first.t.dispose({ keepDir: true });
    const central = first.central;

    // Restart: a new database connection and a new client on the same file.
    central.changes.push({ matter: matter("M-1", [ALICE], "closed") });
    const second = await setup({ t: await openTestStore({ kioskId: KIOSK, dir: dir!, signer, dataKey }), central });
    try {
      await second.client.start();
      await second.run();
      expect(central.cursors).toEqual([0, 2, 4, 5]);
      expect((await second.client.pendingMatters(ALICE)).map((m) => m.matterId)).toEqual(["M-2"]);

      // Central goes away for an hour: pulls fail, the cache keeps answering and ages.
      await central.server?.stop(true);
      await second.run(3_600_000);
      expect(second.client.health().lastError?.code).toBe("central-unreachable");
      expect((await second.client.pendingMatters(ALICE)).map((m) => m.matterId)).toEqual(["M-2"]);
      expect(await second.client.isBlocklisted(BOB)).toBe(true);
      expect(second.client.health().cacheAgeS).toBe(3_600);
    } finally {
      await second.client.stop();
      second.t.dispose();
      current = undefined;
      const { rmSync } = await import("node:fs");
      rmSync(dir!, { recursive: true, force: true });
    }
  });

  test("a kiosk clock a year ahead: the refusal corrects the request times and the pull completes at once", async () => {
    const t = await openTestStore({ kioskId: KIOSK });
    const centralClock = new CentralClock(t.clock);
    const { central, client, run } = await setup({ t, centralClock });
    seed(central);
    central.nowMs = t.clock.now() - 365 * 86_400_000;
    await client.start();
    await run();
    // One refusal, then every page of the same pass: no back-off, no error left.
    expect(central.expiredRefusals).toBe(1);
    expect(central.cursors).toEqual([0, 2, 4]);
    expect(client.health()).toMatchObject({ cursor: 5, lastError: null });
    expect(centralClock.offsetMs).toBe(-365 * 86_400_000);
    expect(t.records.some((r) => r.level === "warn" && r.msg.includes("outside its clock window"))).toBe(true);
    // The kiosk's own clock is untouched: the cache's age is still on it.
    expect(client.health().lastCompleteAt).toBe("2026-03-01T08:00:00.000Z");
  });

  test("a kiosk moved to another hall rebuilds its cache from cursor 0", async () => {
    const { central, client, run } = await setup();
    seed(central);
    await client.start();
    await run();
    central.hallId = "hall-8";
    central.changes.splice(0, central.changes.length, { block: { cardNumber: ALICE, listed: true, reason: "lost" } });
    client.nudge();
    await run();
    expect(central.cursors.slice(-2)).toEqual([5, 0]);
    expect(client.health()).toMatchObject({ cursor: 1, openMatters: 0, blocklisted: 1 });
  });
});
