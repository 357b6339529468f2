/**
 * A simulated kiosk for tests and benchmarks: it makes records the way the
 * edge server must (signed, hash-chained, per-epoch seq from 1) and signs
 * batch, sync and heartbeat requests exactly as contracts/src/upstream.ts
 * describes.
 */
import {
  batchIdempotencyKey,
  batchPath,
  generateSigner,
  GENESIS_HASH,
  heartbeatIdempotencyKey,
  heartbeatPath,
  KIOSK_REQUEST_HEADERS,
  recordSigningInput,
  requestSigningInput,
  sha256Hex,
  signBase64Url,
  syncPath,
  systemClock,
  toBase64Url,
  VERIFICATION_RESULT_KIND,
  VERIFICATION_RESULT_SCHEMA_VERSION,
  type BatchRequest,
  type Clock,
  type Heartbeat,
  type Signer,
  type UpstreamRecord,
  type VerificationResult,
  type VerificationResultV1,
} from "@kiosk/contracts";
import { sampleSignature } from "@kiosk/contracts/testing";
import { syncIdempotencyKey } from "../sync/sync-pager.ts";

/** A signed HTTP request, ready for `app.request(path, init)` or `fetch(base + path, init)`. */
export interface SignedTestRequest {
  readonly path: string;
  readonly init: RequestInit & { headers: Record<string, string> };
  /** The body bytes as sent (compressed when gzip was asked for). */
  readonly body: Uint8Array;
}

/** What a test may fix in a request's signature instead of the kiosk's defaults. */
export interface SigningOptions {
  /** Signs the request with this signer instead of the kiosk's own. */
  readonly signer?: Signer;
  /** The `X-Kiosk-Timestamp` to send; defaults to the kiosk clock's now. */
  readonly timestamp?: string;
  /** The `X-Kiosk-Nonce` to send; defaults to 16 fresh random bytes. */
  readonly nonce?: string;
}

/** Options of {@linkcode TestKiosk.batch}. */
export interface BatchOptions extends SigningOptions {
  readonly gzip?: boolean;
  /** Sends to this kiosk's path (and names it in the body) instead of the kiosk's own. */
  readonly asKioskId?: string;
  /** Replaces the JSON text of the batch (after it was built). */
  readonly json?: string;
}

/** A verification-result body (current version) of a made-up applicant (test data only). */
export function testVerificationResult(kioskId: string, n: number): VerificationResult {
  const { face: _face, ...common } = testVerificationResultV1(kioskId, n);
  return {
    ...common,
    face: { model: "test-model-1", threshold: 0.6, similarity: 0.81, liveness: { mode: "both", passed: true, actions: ["turn-left"] } },
    attempts: [
      { outcome: "not-live", reasons: ["timeout", "too-dark"] },
      { outcome: "matched", reasons: [] },
    ],
    // A short signature keeps 500 records within one batch's byte limit, as the ingest benchmark sends them.
    signature: sampleSignature({ strokes: 1, pointsPerStroke: 4 + (n % 8) }),
  };
}

/** A verification-result body of schema version 1 of a made-up applicant (test data only). */
export function testVerificationResultV1(kioskId: string, n: number): VerificationResultV1 {
  return {
    sessionId: crypto.randomUUID(),
    kioskId,
    outcome: "verified",
    card: {
      cardType: "resident",
      idNumber: "110101198001010037",
      name: `测试${n % 100}`,
      sex: n % 2 === 0 ? "male" : "female",
      birthDate: "1980-01-01",
      validUntil: "2036-01-01",
    },
    face: { model: "test-model-1", similarity: 0.81, threshold: 0.6, livenessPassed: true },
    matters: [{ matterId: `M-2026-${String(n % 10_000).padStart(4, "0")}`, role: "legal-representative" }],
    startedAt: "2026-11-23T08:00:00.000Z",
    completedAt: "2026-11-23T08:01:30.000Z",
  };
}

/** Signs the record fields for `kioskId` and `epoch` with `signer`. */
export async function signTestRecord(
  signer: Signer,
  kioskId: string,
  epoch: number,
  fields: Omit<UpstreamRecord, "signature" | "keyId" | "bodySha256"> & { readonly bodySha256?: string; readonly keyId?: string },
): Promise<UpstreamRecord> {
  const bodySha256 = fields.bodySha256 ?? (await sha256Hex(new TextEncoder().encode(fields.body)));
  const unsigned = { ...fields, bodySha256, keyId: fields.keyId ?? signer.keyId };
  const signature = await signBase64Url(signer, recordSigningInput({ ...unsigned, kioskId, epoch }));
  return { ...unsigned, signature };
}

/** The chain hash of a record: SHA-256 of its signing input. */
export function testChainHash(kioskId: string, epoch: number, record: UpstreamRecord): Promise<string> {
  return sha256Hex(recordSigningInput({ ...record, kioskId, epoch }));
}

/** A kiosk that makes signed, chained records and signed requests. */
export class TestKiosk {
  readonly kioskId: string;
  readonly epoch: number;
  readonly signer: Signer;
  /** The clock request timestamps are read from. */
  readonly clock: Clock;
  readonly bootId = crypto.randomUUID();
  #nextSeq = 1;
  #heartbeatSeq = 0;
  #prevHash = GENESIS_HASH;

  private constructor(kioskId: string, epoch: number, signer: Signer, clock: Clock) {
    this.kioskId = kioskId;
    this.epoch = epoch;
    this.signer = signer;
    this.clock = clock;
  }

  /** A kiosk with a fresh in-memory key; its requests are stamped by `clock` (the system clock unless given, e.g. a test central's). */
  static async create(kioskId: string, options: { epoch?: number; signer?: Signer; clock?: Clock } = {}): Promise<TestKiosk> {
    return new TestKiosk(kioskId, options.epoch ?? 1, options.signer ?? (await generateSigner()), options.clock ?? systemClock);
  }

  /**
   * The next record, signed and chained to the previous one: a
   * verification result of `schemaVersion` (default the current one) with
   * `body` (default a made-up one of that version).
   */
  async record(body?: string, schemaVersion: number = VERIFICATION_RESULT_SCHEMA_VERSION): Promise<UpstreamRecord> {
    const n = this.#nextSeq;
    body ??= JSON.stringify(schemaVersion === 1 ? testVerificationResultV1(this.kioskId, n) : testVerificationResult(this.kioskId, n));
    const record = await signTestRecord(this.signer, this.kioskId, this.epoch, {
      seq: this.#nextSeq,
      eventId: crypto.randomUUID(),
      kind: VERIFICATION_RESULT_KIND,
      schemaVersion,
      createdAt: new Date(Date.UTC(2026, 10, 23, 8, 0, this.#nextSeq)).toISOString(),
      bootId: this.bootId,
      body,
      prevHash: this.#prevHash,
    });
    this.#nextSeq++;
    this.#prevHash = await testChainHash(this.kioskId, this.epoch, record);
    return record;
  }

  /** The next `count` records. */
  async records(count: number): Promise<UpstreamRecord[]> {
    const out: UpstreamRecord[] = [];
    for (let i = 0; i < count; i++) out.push(await this.record());
    return out;
  }

  /** A signed batch request carrying `records`. */
  async batch(records: readonly UpstreamRecord[], options: BatchOptions = {}): Promise<SignedTestRequest> {
    const kioskId = options.asKioskId ?? this.kioskId;
    const batch: BatchRequest = { kioskId, epoch: this.epoch, records: [...records] };
    const json = new TextEncoder().encode(options.json ?? JSON.stringify(batch));
    const body = options.gzip ? new Uint8Array(Bun.gzipSync(json)) : json;
    const first = records[0]?.seq ?? 0;
    const last = records[records.length - 1]?.seq ?? 0;
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    if (options.gzip) headers["Content-Encoding"] = "gzip";
    const path = batchPath(kioskId);
    await this.#sign(headers, "POST", path, batchIdempotencyKey(kioskId, this.epoch, first, last), body, options);
    return { path, init: { method: "POST", headers, body: body.slice() }, body };
  }

  /** A signed sync pull from `cursor`. */
  async sync(cursor: number, options: SigningOptions & { asKioskId?: string } = {}): Promise<SignedTestRequest> {
    const path = `${syncPath(options.asKioskId ?? this.kioskId)}?cursor=${cursor}`;
    const headers: Record<string, string> = {};
    const body = new Uint8Array(0);
    await this.#sign(headers, "GET", path, syncIdempotencyKey(cursor), body, options);
    return { path, init: { method: "GET", headers }, body };
  }

  /** A signed heartbeat of this kiosk, stamped by its clock. */
  async heartbeat(options: SigningOptions & { asKioskId?: string; fields?: Partial<Heartbeat> } = {}): Promise<SignedTestRequest> {
    const at = new Date(this.clock.now()).toISOString();
    const heartbeat: Heartbeat = {
      kioskId: this.kioskId,
      bootId: this.bootId,
      seq: ++this.#heartbeatSeq,
      sentAt: at,
      version: "0.1.0",
      uptimeS: 3,
      status: "ok",
      devices: { idcardReader: { kind: "simulated", state: "ready", since: at }, camera: { kind: "replay", state: "ready", since: at } },
      ...options.fields,
    };
    const path = heartbeatPath(options.asKioskId ?? this.kioskId);
    const headers: Record<string, string> = { "Content-Type": "application/json" };
    const body = new TextEncoder().encode(JSON.stringify(heartbeat));
    await this.#sign(headers, "POST", path, heartbeatIdempotencyKey(heartbeat.bootId, heartbeat.seq), body, options);
    return { path, init: { method: "POST", headers, body: body.slice() }, body };
  }

  async #sign(headers: Record<string, string>, method: string, path: string, idempotencyKey: string, body: Uint8Array, options: SigningOptions): Promise<void> {
    const signer = options.signer ?? this.signer;
    const contentSha256 = await sha256Hex(body);
    const timestamp = options.timestamp ?? new Date(this.clock.now()).toISOString();
    const nonce = options.nonce ?? toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
    const h = KIOSK_REQUEST_HEADERS;
    headers[h.idempotencyKey] = idempotencyKey;
    headers[h.keyId] = signer.keyId;
    headers[h.contentSha256] = contentSha256;
    headers[h.timestamp] = timestamp;
    headers[h.nonce] = nonce;
    headers[h.signature] = await signBase64Url(signer, requestSigningInput({ method, path, idempotencyKey, contentSha256, keyId: signer.keyId, timestamp, nonce }));
  }
}
