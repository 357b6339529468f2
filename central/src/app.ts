/**
 * The central service's HTTP application (web-standard Request/Response).
 */
import { isKioskError, KioskError, problemResponse, type Clock, type Logger } from "@kiosk/contracts";
import { Hono } from "hono";
import { consoleRoutes } from "./routes/console.ts";
import { healthRoutes } from "./routes/health.ts";
import { heartbeatRoutes } from "./routes/heartbeats.ts";
import { kioskRoutes } from "./routes/kiosks.ts";
import type { Database } from "./store/database.ts";
import type { HeartbeatStore } from "./store/heartbeat-store.ts";

/** What the central application needs. */
export interface CentralAppDeps {
  readonly db: Database;
  readonly heartbeats: HeartbeatStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly offlineAfterMs: number;
}

/** Builds the central service's Hono application. */
export function createCentralApp(deps: CentralAppDeps): Hono {
  const app = new Hono();
  app.route("/", healthRoutes(deps.db));
  app.route("/", heartbeatRoutes(deps.heartbeats, deps.clock));
  app.route("/", kioskRoutes(deps.heartbeats));
  app.route("/", consoleRoutes(deps.heartbeats, { offlineAfterMs: deps.offlineAfterMs, now: () => deps.clock.now() }));
  app.notFound((c) => problemResponse(new KioskError("not-found", `No route for ${c.req.method} "${c.req.path}"`)));
  app.onError((error, c) => {
    if (!isKioskError(error) || error.code === "internal" || error.code === "store-failed") {
      deps.log.error("request failed", { method: c.req.method, path: c.req.path, error });
    }
    return problemResponse(error);
  });
  return app;
}
