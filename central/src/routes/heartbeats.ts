import { heartbeatSchema, KioskError, type Clock, type HeartbeatAck } from "@kiosk/contracts";
import { Hono } from "hono";
import type { RequestAuthenticator } from "../ingest/request-authenticator.ts";
import { parseJsonBody } from "../middleware/json-body.ts";
import { readRequestBody } from "../middleware/read-request-body.ts";
import type { HeartbeatStore } from "../store/heartbeat-store.ts";

// A heartbeat is a few hundred bytes; anything far larger is not one.
const MAX_HEARTBEAT_BYTES = 16 * 1024;

/** What the heartbeat route needs. */
export interface HeartbeatRouteDeps {
  readonly store: HeartbeatStore;
  /** Checks the kiosk's request signature, as for batches and sync pulls. */
  readonly authenticator: RequestAuthenticator;
  readonly clock: Clock;
}

/**
 * `POST /api/v1/kiosks/{kioskId}/heartbeats` (contracts `heartbeatPath`):
 * stores a kiosk's signed heartbeat and acknowledges it after commit. The
 * signature is checked before the body is read as JSON; a heartbeat naming
 * another kiosk than the path is refused.
 */
export function heartbeatRoutes(deps: HeartbeatRouteDeps): Hono {
  const routes = new Hono();
  routes.post("/api/v1/kiosks/:kioskId/heartbeats", async (c) => {
    const kioskId = c.req.param("kioskId");
    const body = await readRequestBody(c.req.raw, MAX_HEARTBEAT_BYTES);
    const url = new URL(c.req.url);
    await deps.authenticator.authenticate(kioskId, {
      method: c.req.method,
      path: `${url.pathname}${url.search}`,
      header: (name) => c.req.header(name),
      body,
    });
    const heartbeat = parseJsonBody(c.req.header("content-type") ?? "", body, heartbeatSchema);
    if (heartbeat.kioskId !== kioskId) {
      throw new KioskError("bad-request", `Heartbeat of kiosk "${heartbeat.kioskId}" sent to the path of kiosk "${kioskId}"`);
    }
    const receivedAtMs = deps.clock.now();
    await deps.store.record(heartbeat, receivedAtMs);
    const ack: HeartbeatAck = { receivedAt: new Date(receivedAtMs).toISOString() };
    c.header("Cache-Control", "no-store");
    return c.json(ack);
  });
  return routes;
}
