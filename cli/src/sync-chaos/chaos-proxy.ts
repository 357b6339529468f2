/**
 * The loopback HTTP proxy between the kiosks and the central processes:
 * a load balancer (any central can take any kiosk) that can also misbehave
 * on command. Faults are armed one at a time and applied to the next batch
 * a kiosk posts; every applied fault is counted.
 */
import { generateSigner, type Prng, type Receipt, receiptSigningInput, signBase64Url, type Signer } from "@kiosk/contracts";

/** What the proxy can do to the next batch. */
export const PROXY_FAULTS = [
  /** Forward; central commits; then hold the answer until the kiosk gives up (lost response). */
  "response-blackhole",
  /** Forward; central commits; then answer 200 with only the first half of central's body. */
  "response-truncated",
  /** Forward; central commits; then alter the answer or its receipt (forged receipt). */
  "receipt-tampered",
  /** Answer 200 with an HTML login page without forwarding (captive portal). */
  "captive-portal",
  /** Answer 302 to a login page without forwarding. */
  "captive-redirect",
  /** Flip a byte of the batch in transit: central must refuse it. */
  "request-tampered",
  /** Cut the batch short in transit: central must refuse it. */
  "request-truncated",
  /** Forward the batch twice at once (to both centrals when there are two). */
  "duplicate",
  /** Hold the batch, fail this attempt, and deliver it only after the kiosk's retry went through. */
  "reorder",
  /** Forward, then kill -9 the central storing it a few milliseconds later. */
  "central-kill",
] as const;

/** One of {@linkcode PROXY_FAULTS}. */
export type ProxyFault = (typeof PROXY_FAULTS)[number];

/** A central behind the proxy. */
export interface Upstream {
  readonly name: string;
  readonly url: string;
  /** False while it is known to be down (killed, restarting): no batch is routed to it. */
  alive: boolean;
}

/** A batch request as the kiosk sent it, for replays. */
export interface CapturedBatch {
  readonly kioskId: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** An upstream answer, read in full. */
interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

/** Settings of {@linkcode ChaosProxy}. */
export interface ChaosProxyOptions {
  readonly port: number;
  readonly upstreams: readonly Upstream[];
  readonly random: Prng;
  /** How long a blackholed answer is held, in milliseconds (longer than the kiosk's request timeout). */
  readonly holdMs: number;
  /** Kills the named central with SIGKILL (and arranges its restart). */
  readonly killCentral: (name: string) => void;
}

const HOP_BY_HOP = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive", "accept-encoding"]);
const KEPT_ANSWER_HEADERS = ["content-type", "retry-after", "cache-control"];
const BATCH_PATH = /^\/api\/v1\/kiosks\/([^/]+)\/batches$/;
const CAPTURE_LIMIT = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const PORTAL_PAGE = "<!doctype html><html><head><title>Hall Wi-Fi</title></head><body><form>Accept the terms to continue</form></body></html>";

function gatewayError(status: number, text: string): Answer {
  return { status, headers: { "content-type": "text/html; charset=utf-8" }, body: encoder.encode(`<html><body>${text}</body></html>`) };
}

/** The loopback proxy. Call {@linkcode ChaosProxy.start} before use and {@linkcode ChaosProxy.stop} after. */
export class ChaosProxy {
  readonly #options: ChaosProxyOptions;
  #server: ReturnType<typeof Bun.serve> | undefined;
  #armed: ProxyFault | undefined;
  readonly #applied = new Map<ProxyFault, number>();
  readonly #captured: CapturedBatch[] = [];
  /** Held batches (reorder), delivered after the kiosk's next batch. */
  readonly #held = new Map<string, CapturedBatch>();
  readonly #background = new Set<Promise<unknown>>();
  #attacker: Signer | undefined;
  #batches = 0;

  constructor(options: ChaosProxyOptions) {
    this.#options = options;
  }

  /** Base URL the kiosks use. */
  get url(): string {
    return `http://127.0.0.1:${this.#options.port}`;
  }

  /** Whether connections are accepted (false during an outage). */
  get up(): boolean {
    return this.#server !== undefined;
  }

  /** Batches that reached the proxy so far. */
  get batches(): number {
    return this.#batches;
  }

  /** How often each fault was applied. */
  applied(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#applied);
  }

  /** The fault waiting for the next batch, if any. */
  get armed(): ProxyFault | undefined {
    return this.#armed;
  }

  /** Applies `fault` to the next batch (replacing one still waiting). */
  arm(fault: ProxyFault): void {
    this.#armed = fault;
  }

  /** Drops the fault waiting for the next batch, if any. */
  disarm(): void {
    this.#armed = undefined;
  }

  /** A batch seen earlier, chosen at random, or `undefined` when none was seen yet. */
  capturedBatch(): CapturedBatch | undefined {
    return this.#captured.length === 0 ? undefined : this.#options.random.pick(this.#captured);
  }

  /** Starts accepting connections (again). */
  async start(): Promise<void> {
    this.#attacker ??= await generateSigner();
    if (this.#server) return;
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: this.#options.port,
      idleTimeout: 120,
      fetch: (request) => this.#handle(request),
    });
  }

  /** Refuses connections from now on (central unreachable), cutting those in progress. */
  outage(): void {
    this.#server?.stop(true);
    this.#server = undefined;
  }

  /** Stops the proxy and waits for its background deliveries. */
  async stop(): Promise<void> {
    this.outage();
    for (const [key, held] of this.#held) {
      this.#held.delete(key);
      await this.#deliver(held).catch(() => undefined);
    }
    await Promise.allSettled([...this.#background]);
  }

  /** Sends a captured (or crafted) request to a live central, bypassing the faults. */
  async send(batch: CapturedBatch): Promise<{ status: number; text: string }> {
    const answer = await this.#forward(this.#route(), batch);
    return { status: answer.status, text: decoder.decode(answer.body) };
  }

  async #handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = `${url.pathname}${url.search}`;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      if (!HOP_BY_HOP.has(name.toLowerCase())) headers[name] = value;
    });
    const body = new Uint8Array(await request.arrayBuffer());
    const match = request.method === "POST" ? BATCH_PATH.exec(url.pathname) : null;
    if (!match) return this.#respond(await this.#forward(this.#route(), { kioskId: "", method: request.method, path, headers, body }).catch(() => gatewayError(502, "Bad gateway")));

    const batch: CapturedBatch = { kioskId: decodeURIComponent(match[1] ?? ""), method: "POST", path, headers, body };
    this.#batches += 1;
    this.#captured.push(batch);
    if (this.#captured.length > CAPTURE_LIMIT) this.#captured.shift();
    const fault = this.#armed;
    this.#armed = undefined;
    if (fault) this.#applied.set(fault, (this.#applied.get(fault) ?? 0) + 1);
    const answer = await this.#apply(fault, batch, request.signal);
    // A batch held back earlier goes to central only now, after a newer one.
    const held = this.#held.get(batch.kioskId);
    if (held && fault !== "reorder") {
      this.#held.delete(batch.kioskId);
      this.#track(this.#deliver(held));
    }
    return this.#respond(answer);
  }

  async #apply(fault: ProxyFault | undefined, batch: CapturedBatch, signal: AbortSignal): Promise<Answer> {
    const upstream = this.#route();
    const forward = (b: CapturedBatch = batch): Promise<Answer> => this.#forward(upstream, b).catch(() => gatewayError(502, "Bad gateway"));
    switch (fault) {
      case undefined:
        return forward();
      case "captive-portal":
        return { status: 200, headers: { "content-type": "text/html; charset=utf-8" }, body: encoder.encode(PORTAL_PAGE) };
      case "captive-redirect":
        return { status: 302, headers: { location: "http://login.hall.example/portal", "content-type": "text/html" }, body: encoder.encode(PORTAL_PAGE) };
      case "request-tampered": {
        const body = batch.body.slice();
        const at = this.#options.random.int(0, body.length - 1);
        body[at] = (body[at] ?? 0) ^ 0x20;
        return forward({ ...batch, body });
      }
      case "request-truncated":
        return forward({ ...batch, body: batch.body.slice(0, Math.floor(batch.body.length / 2)) });
      case "duplicate": {
        const other = this.#route(upstream);
        const [first] = await Promise.all([forward(), this.#forward(other, batch).catch(() => gatewayError(502, "Bad gateway"))]);
        return first;
      }
      case "reorder":
        this.#held.set(batch.kioskId, batch);
        return gatewayError(503, "Service unavailable");
      case "central-kill": {
        const answer = forward();
        await Bun.sleep(this.#options.random.int(0, 15));
        this.#options.killCentral(upstream.name);
        return answer;
      }
      case "response-blackhole": {
        await forward();
        // The kiosk's request times out; the answer it never saw was committed.
        await Promise.race([Bun.sleep(this.#options.holdMs), new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }))]);
        return gatewayError(504, "Gateway timeout");
      }
      case "response-truncated": {
        const answer = await forward();
        return { ...answer, body: answer.body.slice(0, Math.floor(answer.body.length / 2)) };
      }
      case "receipt-tampered":
        return this.#tamperReceipt(await forward());
    }
  }

  // Alters a committed answer in one of the ways a forger or a broken proxy would.
  async #tamperReceipt(answer: Answer): Promise<Answer> {
    if (answer.status !== 200) return answer;
    const reply = JSON.parse(decoder.decode(answer.body)) as {
      ackThrough: number;
      results: Array<{ seq: number; status: string; reason?: string }>;
      receipt: Receipt;
    };
    const variant = this.#options.random.int(0, 3);
    if (variant === 0) {
      // Claims more than central stored, keeping central's signature.
      reply.receipt = { ...reply.receipt, ackThrough: reply.receipt.ackThrough + 1000 };
      reply.ackThrough = reply.receipt.ackThrough;
    } else if (variant === 1) {
      // Flips a verdict to "accepted" without touching the signed receipt.
      const first = reply.results[0];
      if (first) reply.results[0] = { seq: first.seq, status: first.status === "accepted" ? "rejected" : "accepted", ...(first.status === "accepted" ? { reason: "bad-schema" } : {}) };
      reply.ackThrough += 1;
    } else {
      // A receipt signed by another key: under its own key id (2) or under central's (3).
      const attacker = this.#attacker as Signer;
      const unsigned = { ...reply.receipt, ackThrough: reply.receipt.ackThrough + 500, keyId: variant === 2 ? attacker.keyId : reply.receipt.keyId };
      const { signature: _dropped, ...fields } = unsigned;
      reply.receipt = { ...fields, signature: await signBase64Url(attacker, receiptSigningInput(fields)) };
      reply.ackThrough = reply.receipt.ackThrough;
    }
    return { ...answer, body: encoder.encode(JSON.stringify(reply)) };
  }

  #route(not?: Upstream): Upstream {
    const alive = this.#options.upstreams.filter((u) => u.alive);
    const others = alive.filter((u) => u !== not);
    const pool = others.length > 0 ? others : alive.length > 0 ? alive : this.#options.upstreams;
    return this.#options.random.pick(pool);
  }

  async #forward(upstream: Upstream, batch: CapturedBatch): Promise<Answer> {
    const method = batch.method;
    const response = await fetch(`${upstream.url}${batch.path}`, {
      method,
      headers: batch.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(60_000),
      ...(method === "GET" || method === "HEAD" ? {} : { body: batch.body }),
    });
    const body = new Uint8Array(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    for (const name of KEPT_ANSWER_HEADERS) {
      const value = response.headers.get(name);
      if (value !== null) headers[name] = value;
    }
    return { status: response.status, headers, body };
  }

  async #deliver(batch: CapturedBatch): Promise<void> {
    await this.#forward(this.#route(), batch).catch(() => undefined);
  }

  #track(work: Promise<unknown>): void {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }

  #respond(answer: Answer): Response {
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
}
