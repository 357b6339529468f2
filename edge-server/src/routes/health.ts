import { KIOSK_STATUSES, type EdgeHealth } from "@kiosk/contracts";
import { Hono } from "hono";

/**
 * `GET /health`: the kiosk's status, devices and link to central, as JSON.
 * Answers 503 when the kiosk is out of service, so monitors need not parse
 * the body.
 */
export function healthRoutes(report: () => EdgeHealth): Hono {
  const routes = new Hono();
  routes.get("/health", (c) => {
    const health = report();
    c.header("Cache-Control", "no-store");
    return c.json(health, health.status === KIOSK_STATUSES.outOfService ? 503 : 200);
  });
  return routes;
}
