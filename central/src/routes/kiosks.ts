import { Hono } from "hono";
import type { HeartbeatStore } from "../store/heartbeat-store.ts";

/** `GET /api/v1/kiosks`: every kiosk seen, with its latest heartbeat. */
export function kioskRoutes(store: HeartbeatStore): Hono {
  const routes = new Hono();
  routes.get("/api/v1/kiosks", async (c) => c.json({ kiosks: await store.list() }));
  return routes;
}
