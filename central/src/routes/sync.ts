import { Hono } from "hono";
import { readRequestBody } from "../middleware/read-request-body.ts";
import type { SyncPager } from "../sync/sync-pager.ts";

// A sync pull is a GET; any body is a mistake, but it is still covered by the signed digest.
const MAX_SYNC_REQUEST_BYTES = 1024;

/** `GET /api/v1/kiosks/{kioskId}/sync?cursor=N` (contracts `syncPath`): a kiosk's signed pull of matters and blocklist changes. */
export function syncRoutes(pager: SyncPager): Hono {
  const routes = new Hono();
  routes.get("/api/v1/kiosks/:kioskId/sync", async (c) => {
    const url = new URL(c.req.url);
    const body = await readRequestBody(c.req.raw, MAX_SYNC_REQUEST_BYTES);
    const response = await pager.page(c.req.param("kioskId"), c.req.query("cursor"), {
      method: c.req.method,
      path: `${url.pathname}${url.search}`,
      header: (name) => c.req.header(name),
      body,
    });
    c.header("Cache-Control", "no-store");
    return c.json(response);
  });
  return routes;
}
