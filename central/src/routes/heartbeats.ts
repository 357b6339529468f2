import { HEARTBEAT_PATH, heartbeatSchema, type Clock, type HeartbeatAck } from "@kiosk/contracts";
import { Hono } from "hono";
import { readJsonBody } from "../middleware/json-body.ts";
import type { HeartbeatStore } from "../store/heartbeat-store.ts";

// A heartbeat is a few hundred bytes; anything far larger is not one.
const MAX_HEARTBEAT_BYTES = 16 * 1024;

/** `POST /api/v1/heartbeats`: stores a kiosk's heartbeat and acknowledges it after commit. */
export function heartbeatRoutes(store: HeartbeatStore, clock: Clock): Hono {
  const routes = new Hono();
  routes.post(HEARTBEAT_PATH, async (c) => {
    const heartbeat = await readJsonBody(c, heartbeatSchema, MAX_HEARTBEAT_BYTES);
    const receivedAtMs = clock.now();
    await store.record(heartbeat, receivedAtMs);
    const ack: HeartbeatAck = { receivedAt: new Date(receivedAtMs).toISOString() };
    return c.json(ack);
  });
  return routes;
}
