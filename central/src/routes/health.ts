import { KioskError } from "@kiosk/contracts";
import { Hono } from "hono";
import type { Database } from "../store/database.ts";

/** `GET /api/health`: central is up and its database answers. */
export function healthRoutes(db: Database): Hono {
  const routes = new Hono();
  routes.get("/api/health", async (c) => {
    try {
      await db.sql`select 1 as ok`;
    } catch (cause) {
      throw new KioskError("store-failed", `The central database at ${db.location} does not answer`, { cause });
    }
    return c.json({ service: "central", status: "ok", database: db.dialect });
  });
  return routes;
}
