import { demoCameraSchema, demoPlaceCardSchema, demoReaderSchema, KioskError, parseDemoBody } from "@kiosk/contracts";
import { Hono, type Context } from "hono";
import type { AssetSource } from "../ports.ts";
import type { DemoControls } from "../services/demo-controls.ts";

// Largest demo request body: a card id or a flag.
const MAX_BODY_BYTES = 1024;

// The demo page loads only its own code, talks only to this server, and frames only the kiosk UI.
const DEMO_PAGE_POLICY = ["default-src 'self'", "style-src 'self' 'unsafe-inline'", "connect-src 'self'", "frame-src 'self'", "frame-ancestors 'none'"].join("; ");

/** The built demo page, served at `/demo/` (kiosk-ui builds it as `demo/index.html`). */
export const DEMO_PAGE_ASSET = "/demo/index.html";

async function readBody(c: Context): Promise<unknown> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/json")) throw new KioskError("unsupported-media-type", `Demo requests take "application/json", got "${type.slice(0, 60)}"`);
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw new KioskError("payload-too-large", `Demo request of "${text.length}" bytes: at most ${MAX_BODY_BYTES}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new KioskError("bad-request", "Invalid demo request: the body is not JSON");
  }
}

/**
 * Demo mode's routes (`demo-api.ts` in @kiosk/contracts): `GET /demo/cards`,
 * `POST|DELETE /demo/card`, `POST /demo/camera`, `POST /demo/reader`, and the
 * demo page at `GET /demo/`. Mounted (at the root) only when `demo.enabled`.
 */
export function demoRoutes(controls: DemoControls, assets: AssetSource): Hono {
  const routes = new Hono();
  routes.get("/demo/", async (c) => {
    const page = await assets.get(DEMO_PAGE_ASSET);
    if (!page) throw new KioskError("not-found", `The demo page "${DEMO_PAGE_ASSET}" is not in the built UI: build the UI`);
    return new Response(page.body, {
      headers: { "Content-Type": page.contentType, "Cache-Control": "no-cache", "Content-Security-Policy": DEMO_PAGE_POLICY, "X-Content-Type-Options": "nosniff" },
    });
  });
  routes.get("/demo/cards", async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await controls.cards());
  });
  routes.post("/demo/card", async (c) => {
    await controls.placeCard(parseDemoBody(demoPlaceCardSchema, await readBody(c)).id);
    return c.body(null, 204);
  });
  routes.delete("/demo/card", async (c) => {
    await controls.removeCard();
    return c.body(null, 204);
  });
  routes.post("/demo/card/lift-during-read", async (c) => {
    await controls.liftCardDuringNextRead();
    return c.body(null, 204);
  });
  routes.post("/demo/camera", async (c) => {
    await controls.showOnCamera(parseDemoBody(demoCameraSchema, await readBody(c)).show);
    return c.body(null, 204);
  });
  routes.post("/demo/reader", async (c) => {
    await controls.setReaderConnected(parseDemoBody(demoReaderSchema, await readBody(c)).connected);
    return c.body(null, 204);
  });
  return routes;
}
