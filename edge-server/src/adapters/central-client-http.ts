import { HEARTBEAT_PATH, heartbeatAckSchema, KioskError, type Heartbeat, type HeartbeatAck } from "@kiosk/contracts";
import type { CentralClient } from "../ports.ts";
import { untrustedCentralError } from "./central-tls.ts";

/**
 * Talks to central over HTTP with `fetch` (web standard: works on Bun and
 * Deno). Network failures, timeouts and 5xx/429 answers are
 * `central-unreachable` (retryable); any other non-2xx answer or a reply that
 * does not match the contract is `central-rejected`.
 */
export class HttpCentralClient implements CentralClient {
  readonly url: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: { url: string; timeoutMs: number; fetch?: typeof fetch }) {
    this.url = options.url.replace(/\/+$/, "");
    this.#timeoutMs = options.timeoutMs;
    this.#fetch = options.fetch ?? fetch;
  }

  async sendHeartbeat(heartbeat: Heartbeat, signal?: AbortSignal): Promise<HeartbeatAck> {
    const body = await this.#postJson(HEARTBEAT_PATH, heartbeat, signal);
    const parsed = heartbeatAckSchema.safeParse(body);
    if (!parsed.success) {
      throw new KioskError("central-rejected", `Central's heartbeat reply does not match the contract: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }

  async #postJson(path: string, payload: unknown, signal?: AbortSignal): Promise<unknown> {
    const target = `${this.url}${path}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    let response: Response;
    try {
      response = await this.#fetch(target, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (cause) {
      const untrusted = untrustedCentralError(cause, target);
      if (untrusted) throw untrusted;
      const reason = timeout.aborted ? `no answer within ${this.#timeoutMs} ms` : (cause as Error).message;
      throw new KioskError("central-unreachable", `Cannot reach central at "${target}": ${reason}`, { cause });
    }
    const text = await response.text().catch(() => "");
    if (response.status >= 500 || response.status === 429) {
      throw new KioskError("central-unreachable", `Central at "${target}" answered ${response.status}: try again later`);
    }
    if (!response.ok) {
      throw new KioskError("central-rejected", `Central at "${target}" refused the request with ${response.status}: ${text.slice(0, 200)}`);
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new KioskError("central-rejected", `Central at "${target}" answered with something other than JSON`, { cause });
    }
  }
}
