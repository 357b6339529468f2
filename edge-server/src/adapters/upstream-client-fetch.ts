import { KioskError, readCappedStream } from "@kiosk/contracts";
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from "../outbox/upstream-client.ts";
import { untrustedCentralError } from "./central-tls.ts";

/** Options of {@linkcode FetchUpstreamClient}. */
export interface FetchUpstreamClientOptions {
  /** Central's base URL. */
  readonly url: string;
  /** Time limit of one request including its answer, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest answer read, in bytes; larger answers are refused (default 16 MiB). */
  readonly maxResponseBytes?: number;
  /** The fetch to use (`centralFetch` for HTTPS, tests); defaults to the global one. */
  readonly fetch?: typeof fetch;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * {@linkcode UpstreamClient} over web-standard `fetch` (Bun and Deno).
 * Redirects are not followed: a captive portal's redirect comes back as a
 * 3xx answer instead of a 200 login page, and a signed POST is never replayed
 * to another host.
 */
export class FetchUpstreamClient implements UpstreamClient {
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #maxBytes: number;
  readonly #fetch: typeof fetch;

  constructor(options: FetchUpstreamClientOptions) {
    this.url = options.url.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs;
    this.#maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.#fetch = options.fetch ?? fetch;
  }

  async send(request: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
    const target = `${this.url}${request.path}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const unreachable = (cause: unknown): KioskError => {
      const reason = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : (cause as Error).message;
      return new KioskError("central-unreachable", `Cannot reach central at "${target}": ${reason}`, { cause });
    };
    let response: Response;
    try {
      response = await this.#fetch(target, {
        method: request.method,
        headers: request.headers,
        redirect: "manual",
        signal: combined,
        ...(request.body ? { body: request.body } : {}),
      });
    } catch (cause) {
      throw untrustedCentralError(cause, target) ?? unreachable(cause);
    }
    let text: string;
    try {
      text = await this.#readCapped(response, target);
    } catch (cause) {
      if (cause instanceof KioskError) throw cause;
      throw unreachable(cause);
    }
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      contentType: response.headers.get("content-type"),
      text,
    };
  }

  // Reads the body, refusing to buffer more than the cap (a misbehaving proxy can stream forever).
  async #readCapped(response: Response, target: string): Promise<string> {
    if (!response.body) return "";
    const bytes = await readCappedStream(response.body, this.#maxBytes, () => new KioskError("central-rejected", `The answer from "${target}" is larger than ${this.#maxBytes} bytes`));
    return new TextDecoder().decode(bytes);
  }
}
