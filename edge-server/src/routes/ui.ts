import { Hono } from "hono";
import type { AssetSource } from "../ports.ts";

// The kiosk UI loads only its own code and data; nothing from elsewhere. In
// demo mode the demo page (same origin) shows it in a frame.
const contentSecurityPolicy = (frameAncestors: string): string =>
  [
    "default-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");

// The demo page's files, served only in demo mode.
const DEMO_PREFIX = "/demo/";

/**
 * Serves the built kiosk UI: `/` is `index.html`, everything else by path.
 * With `demo`, the UI may be framed by a page of its own origin (the demo
 * page); without it, the demo page's files are not served.
 */
export function uiRoutes(assets: AssetSource, options: { readonly demo?: boolean } = {}): Hono {
  const routes = new Hono();
  const policy = contentSecurityPolicy(options.demo ? "'self'" : "'none'");
  routes.get("/*", async (c, next) => {
    if (!options.demo && c.req.path.startsWith(DEMO_PREFIX)) return next();
    const path = c.req.path === "/" ? "/index.html" : c.req.path;
    const asset = await assets.get(path);
    if (!asset) return next();
    return new Response(asset.body, {
      headers: {
        "Content-Type": asset.contentType,
        "Cache-Control": "no-cache",
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
  return routes;
}
