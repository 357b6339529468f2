/**
 * A real HTTP server (Bun.serve) acting as central's batch endpoint for
 * sender tests: it checks the kiosk's request signature, stores records
 * (dedupe on epoch and seq), and answers with a receipt signed by a real
 * Ed25519 key. Tests can hold requests (`hold()`), refuse records, or
 * replace the answer.
 */
import {
  batchRequestSchema,
  fromBase64Url,
  importVerifyKey,
  KIOSK_REQUEST_HEADERS,
  receiptSigningInput,
  recordStatusesDigest,
  requestSigningInput,
  sha256Hex,
  signBase64Url,
  verifySignature,
  type BatchRequest,
  type Receipt,
  type RecordRejectReason,
  type RecordStatus,
  type Signer,
} from "@kiosk/contracts";

/** One batch as central received it. */
export interface ReceivedBatch {
  readonly path: string;
  readonly headers: Headers;
  /** The body bytes as sent (gzip). */
  readonly raw: Uint8Array;
  /** SHA-256 of `raw`. */
  readonly digest: string;
  /** The decompressed JSON text. */
  readonly json: string;
  readonly body: BatchRequest;
  /** The kiosk's request signature verified, and the digest header matched the bytes. */
  readonly signatureValid: boolean;
}

/** Options of {@linkcode FakeCentral.start}. */
export interface FakeCentralOptions {
  /** Central's receipt key. */
  readonly receiptSigner: Signer;
  /** The kiosk's public key, to check request signatures. */
  readonly kioskPublicKey: Uint8Array;
  /** Certificate and key (PEM text): the endpoint speaks HTTPS only. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** A batch endpoint on 127.0.0.1. */
export class FakeCentral {
  readonly batches: ReceivedBatch[] = [];
  /** Per-record refusals by seq. */
  readonly reject = new Map<number, RecordRejectReason>();
  /** Replaces the answer when it returns a response. */
  respond: ((batch: ReceivedBatch, central: FakeCentral) => Response | undefined | Promise<Response | undefined>) | undefined;
  inFlight = 0;
  maxInFlight = 0;
  readonly #settled = new Map<number, Set<number>>();
  readonly #options: FakeCentralOptions;
  #server: ReturnType<typeof Bun.serve> | undefined;
  #kioskKey: CryptoKey | undefined;
  #gate: Promise<void> | undefined;
  #arrivals: Array<() => void> = [];

  private constructor(options: FakeCentralOptions) {
    this.#options = options;
  }

  /** Starts listening on a free port. */
  static async start(options: FakeCentralOptions): Promise<FakeCentral> {
    const central = new FakeCentral(options);
    central.#kioskKey = await importVerifyKey(options.kioskPublicKey);
    const tls = options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {};
    central.#server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => central.#handle(req), ...tls });
    return central;
  }

  get url(): string {
    return `${this.#options.tls ? "https" : "http"}://127.0.0.1:${this.#server?.port}`;
  }

  async stop(): Promise<void> {
    await this.#server?.stop(true);
  }

  /** Holds every request until the returned function is called. */
  hold(): () => void {
    let release = (): void => {};
    this.#gate = new Promise<void>((resolve) => {
      release = () => {
        this.#gate = undefined;
        resolve();
      };
    });
    return release;
  }

  /** Resolves when the next request arrives. */
  nextArrival(): Promise<void> {
    return new Promise((resolve) => this.#arrivals.push(resolve));
  }

  /** A receipt for `digest`, signed by `signer` (central's key unless given) under `keyId`. */
  async receipt(
    fields: { kioskId: string; epoch: number; ackThrough: number; batchDigest: string; results: readonly RecordStatus[] },
    signer = this.#options.receiptSigner,
    keyId = signer.keyId,
  ): Promise<Receipt> {
    const { results, ...rest } = fields;
    const unsigned = { ...rest, resultsDigest: await recordStatusesDigest(results), receivedAt: "2026-03-01T08:00:01.000Z", keyId };
    return { ...unsigned, signature: await signBase64Url(signer, receiptSigningInput(unsigned)) };
  }

  /** Highest seq of `epoch` such that all from 1 are settled here. */
  ackThrough(epoch: number): number {
    const settled = this.#settled.get(epoch) ?? new Set<number>();
    let n = 0;
    while (settled.has(n + 1)) n += 1;
    return n;
  }

  /** Every seq of `epoch` stored here. */
  settledSeqs(epoch: number): number[] {
    return [...(this.#settled.get(epoch) ?? [])].sort((a, b) => a - b);
  }

  async #handle(req: Request): Promise<Response> {
    if (req.method !== "POST" || !new URL(req.url).pathname.endsWith("/batches")) return new Response("not found", { status: 404 });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const raw = new Uint8Array(await req.arrayBuffer());
      const digest = await sha256Hex(raw);
      const json = new TextDecoder().decode(Bun.gunzipSync(raw));
      const body = batchRequestSchema.parse(JSON.parse(json));
      const path = new URL(req.url).pathname;
      const h = KIOSK_REQUEST_HEADERS;
      const input = requestSigningInput({
        method: req.method,
        path,
        idempotencyKey: req.headers.get(h.idempotencyKey) ?? "",
        contentSha256: digest,
        keyId: req.headers.get(h.keyId) ?? "",
        timestamp: req.headers.get(h.timestamp) ?? "",
        nonce: req.headers.get(h.nonce) ?? "",
      });
      const signatureValid =
        req.headers.get(h.contentSha256) === digest &&
        (await verifySignature(this.#kioskKey as CryptoKey, fromBase64Url(req.headers.get(h.signature) ?? ""), input));
      const batch: ReceivedBatch = { path, headers: req.headers, raw, digest, json, body, signatureValid };
      this.batches.push(batch);
      for (const arrived of this.#arrivals.splice(0)) arrived();
      if (this.#gate) await this.#gate;
      const custom = await this.respond?.(batch, this);
      if (custom) return custom;
      const settled = this.#settled.get(body.epoch) ?? new Set<number>();
      this.#settled.set(body.epoch, settled);
      const results: RecordStatus[] = body.records.map((r) => {
        const reason = this.reject.get(r.seq);
        const status: RecordStatus = reason ? { seq: r.seq, status: "rejected", reason } : { seq: r.seq, status: settled.has(r.seq) ? "duplicate" : "accepted" };
        settled.add(r.seq);
        return status;
      });
      const ackThrough = this.ackThrough(body.epoch);
      const receipt = await this.receipt({ kioskId: body.kioskId, epoch: body.epoch, ackThrough, batchDigest: digest, results });
      return Response.json({ ackThrough, results, gaps: [], receipt });
    } finally {
      this.inFlight -= 1;
    }
  }
}
