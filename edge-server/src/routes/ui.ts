import { Hono } from "hono";
import type { AssetSource } from "../ports.ts";

// The kiosk UI loads only its own code and data; nothing from elsewhere.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** Serves the built kiosk UI: `/` is `index.html`, everything else by path. */
export function uiRoutes(assets: AssetSource): Hono {
  const routes = new Hono();
  routes.get("/*", async (c, next) => {
    const path = c.req.path === "/" ? "/index.html" : c.req.path;
    const asset = await assets.get(path);
    if (!asset) return next();
    return new Response(asset.body, {
      headers: {
        "Content-Type": asset.contentType,
        "Cache-Control": "no-cache",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
  return routes;
}
