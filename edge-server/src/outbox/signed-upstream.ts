import { problemSchema, requestExpiredDetailsSchema, type Logger, type Signer } from "@kiosk/contracts";
import type { CentralClock } from "./central-clock.ts";
import { newRequestNonce, signedRequestHeaders } from "./signed-request.ts";
import type { UpstreamClient, UpstreamResponse } from "./upstream-client.ts";

/** A request to central before it is signed. */
export interface UnsignedRequest {
  readonly method: "GET" | "POST";
  /** Path and query, as sent and signed. */
  readonly path: string;
  /** The same for every attempt of one batch or pull. */
  readonly idempotencyKey: string;
  /** Headers other than the signature's (content type, encoding). */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (after compression); absent for a GET. */
  readonly body?: Uint8Array;
}

/** Dependencies of {@linkcode SignedUpstream}. */
export interface SignedUpstreamDeps {
  readonly upstream: UpstreamClient;
  /** The kiosk's key. */
  readonly signer: Signer;
  /** Shared by every client of central: a correction made for one holds for all. */
  readonly centralClock: CentralClock;
  readonly log: Logger;
}

const EMPTY = new Uint8Array(0);

/**
 * Sends signed requests to central. Each attempt is a new request: signed
 * afresh with a timestamp from {@linkcode CentralClock} and a new nonce,
 * under the same idempotency key. When central refuses one as expired
 * (`request-expired`, the kiosk clock is off), the central clock is corrected
 * by the time central reported and the request is signed and sent again at
 * once, so a wrong kiosk clock costs one round trip, not a back-off.
 */
export class SignedUpstream {
  readonly #deps: SignedUpstreamDeps;

  constructor(deps: SignedUpstreamDeps) {
    this.#deps = deps;
  }

  /**
   * Signs and sends `request`; returns central's answer (after the one
   * corrected retry, if the first was refused as expired).
   * @throws {KioskError} as {@linkcode UpstreamClient.send} does.
   */
  async send(request: UnsignedRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const first = await this.#attempt(request, signal);
    const centralTimeMs = refusedAsExpiredAt(first);
    if (centralTimeMs === undefined) return first;
    const shiftMs = this.#deps.centralClock.correct(centralTimeMs);
    this.#deps.log.warn("central refused a request as stamped outside its clock window; request times now follow central's clock", {
      offsetMs: this.#deps.centralClock.offsetMs,
      shiftMs,
    });
    return this.#attempt(request, signal);
  }

  async #attempt(request: UnsignedRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const { upstream, signer, centralClock } = this.#deps;
    const { method, path, idempotencyKey, body } = request;
    const signed = await signedRequestHeaders(signer, {
      method,
      path,
      idempotencyKey,
      body: body ?? EMPTY,
      timestampMs: centralClock.now(),
      nonce: newRequestNonce(),
    });
    return upstream.send({ method, path, headers: { ...request.headers, ...signed }, ...(body ? { body } : {}) }, signal);
  }
}

// Central's clock (epoch ms) from a `request-expired` refusal, or undefined for any other answer.
function refusedAsExpiredAt(response: UpstreamResponse): number | undefined {
  if (response.status !== 401) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    return undefined;
  }
  const problem = problemSchema.safeParse(json);
  if (!problem.success || problem.data.code !== "request-expired") return undefined;
  const details = requestExpiredDetailsSchema.safeParse(problem.data.details);
  return details.success ? Date.parse(details.data.centralTime) : undefined;
}
