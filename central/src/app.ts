/**
 * The central service's HTTP application (web-standard Request/Response).
 */
import { CENTRAL_TIME_HEADER, isKioskError, KioskError, problemResponse, type Clock, type Logger, type Signer } from "@kiosk/contracts";
import { Hono } from "hono";
import type { AdmissionGate } from "./ingest/admission-gate.ts";
import type { BatchIngester } from "./ingest/batch-ingester.ts";
import type { RequestAuthenticator } from "./ingest/request-authenticator.ts";
import { batchRoutes } from "./routes/batches.ts";
import { centralKeyRoutes } from "./routes/central-key.ts";
import { consoleRoutes } from "./routes/console.ts";
import { healthRoutes } from "./routes/health.ts";
import { heartbeatRoutes } from "./routes/heartbeats.ts";
import { kioskRoutes } from "./routes/kiosks.ts";
import { matterRoutes } from "./routes/matters.ts";
import { syncRoutes } from "./routes/sync.ts";
import type { ApiTokenStore } from "./store/api-token-store.ts";
import type { Database } from "./store/database.ts";
import type { HeartbeatStore } from "./store/heartbeat-store.ts";
import type { IngestStore } from "./store/ingest-store.ts";
import type { MatterStore } from "./store/matter-store.ts";
import type { SyncPager } from "./sync/sync-pager.ts";
import { UnauthorizedError, unauthorizedResponse } from "./unauthorized-error.ts";

/** What the central application needs (built by `createCentralServices`). */
export interface CentralAppDeps {
  readonly db: Database;
  readonly heartbeats: HeartbeatStore;
  readonly ingestStore: IngestStore;
  readonly ingester: BatchIngester;
  /** Checks kiosk request signatures (heartbeats; batches and sync pulls through their services). */
  readonly authenticator: RequestAuthenticator;
  /** Bounds concurrent batches. */
  readonly admission: AdmissionGate;
  /** Seconds a kiosk refused by admission control is told to wait. */
  readonly retryAfterS: number;
  readonly syncPager: SyncPager;
  readonly matters: MatterStore;
  readonly tokens: ApiTokenStore;
  /** Central's receipt and sync-page key. */
  readonly signer: Signer;
  readonly clock: Clock;
  readonly log: Logger;
  readonly offlineAfterMs: number;
}

/** Builds the central service's Hono application. */
export function createCentralApp(deps: CentralAppDeps): Hono {
  const app = new Hono();
  app.route("/", healthRoutes(deps.db));
  app.route("/", heartbeatRoutes({ store: deps.heartbeats, authenticator: deps.authenticator, clock: deps.clock }));
  app.route("/", kioskRoutes(deps.heartbeats));
  app.route("/", batchRoutes({ ingester: deps.ingester, admission: deps.admission, retryAfterS: deps.retryAfterS }));
  app.route("/", syncRoutes(deps.syncPager));
  app.route("/", matterRoutes({ matters: deps.matters, tokens: deps.tokens, clock: deps.clock }));
  app.route("/", centralKeyRoutes(deps.signer));
  app.route("/", consoleRoutes(deps.heartbeats, deps.ingestStore, { offlineAfterMs: deps.offlineAfterMs, now: () => deps.clock.now() }));
  app.notFound((c) => problemResponse(new KioskError("not-found", `No route for ${c.req.method} "${c.req.path}"`)));
  app.onError((error, c) => {
    if (error instanceof UnauthorizedError) {
      deps.log.warn("request refused: not authenticated", { method: c.req.method, path: c.req.path, reason: error.message });
      return unauthorizedResponse(error);
    }
    if (!isKioskError(error) || error.code === "internal" || error.code === "store-failed") {
      deps.log.error("request failed", { method: c.req.method, path: c.req.path, error });
    }
    if (isKioskError(error, "request-expired") || isKioskError(error, "request-replayed")) {
      deps.log.warn("request refused: stale or replayed", { method: c.req.method, path: c.req.path, code: error.code, reason: error.message });
    }
    const response = problemResponse(error);
    const retryAfterS = isKioskError(error) ? error.details["retryAfterS"] : undefined;
    if (typeof retryAfterS === "number") response.headers.set("Retry-After", String(retryAfterS));
    // The kiosk corrects its request timestamps by central's clock (also in the problem's details).
    const centralTime = isKioskError(error, "request-expired") ? error.details["centralTime"] : undefined;
    if (typeof centralTime === "string") response.headers.set(CENTRAL_TIME_HEADER, centralTime);
    return response;
  });
  return app;
}
