import { heartbeatAckSchema, heartbeatIdempotencyKey, heartbeatPath, KioskError, type Heartbeat, type HeartbeatAck } from "@kiosk/contracts";
import type { SignedUpstream } from "../outbox/signed-upstream.ts";
import type { CentralClient } from "../ports.ts";

/**
 * Sends heartbeats to central as signed requests
 * (`POST /api/v1/kiosks/{kioskId}/heartbeats`), through the same
 * {@linkcode SignedUpstream} as batches and sync pulls: same key, headers,
 * clock correction and one corrected retry on `request-expired`. A 5xx or
 * 429 answer is `central-unreachable` (retryable), like no answer at all;
 * any other non-2xx answer or a reply that does not match the contract is
 * `central-rejected`.
 */
export class HttpCentralClient implements CentralClient {
  readonly url: string;
  readonly #requests: SignedUpstream;

  constructor(options: { url: string; requests: SignedUpstream }) {
    this.url = options.url.replace(/\/+$/, "");
    this.#requests = options.requests;
  }

  async sendHeartbeat(heartbeat: Heartbeat, signal?: AbortSignal): Promise<HeartbeatAck> {
    const path = heartbeatPath(heartbeat.kioskId);
    const target = `${this.url}${path}`;
    const response = await this.#requests.send(
      {
        method: "POST",
        path,
        idempotencyKey: heartbeatIdempotencyKey(heartbeat.bootId, heartbeat.seq),
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: new TextEncoder().encode(JSON.stringify(heartbeat)),
      },
      signal,
    );
    if (response.status >= 500 || response.status === 429) {
      throw new KioskError("central-unreachable", `Central at "${target}" answered ${response.status}: try again later`);
    }
    if (response.status < 200 || response.status >= 300) {
      throw new KioskError("central-rejected", `Central at "${target}" refused the heartbeat with ${response.status}: ${response.text.slice(0, 200)}`);
    }
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch (cause) {
      throw new KioskError("central-rejected", `Central at "${target}" answered with something other than JSON`, { cause });
    }
    const parsed = heartbeatAckSchema.safeParse(body);
    if (!parsed.success) {
      throw new KioskError("central-rejected", `Central's heartbeat reply does not match the contract: ${parsed.error.issues[0]?.message}`);
    }
    return parsed.data;
  }
}
