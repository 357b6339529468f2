/**
 * The HTTP requests store-and-forward and sync-down make to central, as a
 * port. The fetch adapter (`adapters/upstream-client-fetch.ts`) implements
 * it with web-standard `fetch`; tests can pass fakes.
 */

/** A request to central; `path` is the route path and query, which the signature covers. */
export interface UpstreamRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

/** Central's answer (or whatever answered in its place, such as a captive portal). */
export interface UpstreamResponse {
  readonly status: number;
  /** The `Retry-After` header, when present. */
  readonly retryAfter: string | null;
  readonly contentType: string | null;
  readonly text: string;
}

/** Sends requests to central. */
export interface UpstreamClient {
  /** Central's base URL, for status reports. */
  readonly url: string;
  /**
   * Sends one request and returns any HTTP answer, whatever its status.
   * @throws {KioskError} `central-unreachable` when no HTTP answer arrives
   *   (network down, DNS, timeout, reset); `central-rejected` when the
   *   answer is larger than the client accepts.
   */
  send(request: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse>;
}
