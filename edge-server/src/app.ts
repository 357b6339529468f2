/**
 * The edge server's HTTP application, built only on web-standard Request and
 * Response so that it runs on Bun and on Deno alike.
 */
import { isKioskError, KioskError, problemResponse, type EdgeHealth, type Logger } from "@kiosk/contracts";
import { Hono } from "hono";
import { demoRoutes } from "./routes/demo.ts";
import { healthRoutes } from "./routes/health.ts";
import { sessionRoutes, type SessionRouteDeps } from "./routes/session.ts";
import { uiRoutes } from "./routes/ui.ts";
import { voiceRoutes } from "./routes/voice.ts";
import type { AssetSource, VoicePromptSource } from "./ports.ts";
import type { DemoControls } from "./services/demo-controls.ts";

/** What the HTTP application needs. */
export interface AppDeps {
  readonly health: () => EdgeHealth;
  readonly assets: AssetSource;
  /** Clips of the voice prompts, served at `/voice/:lang/:key`. */
  readonly voice: VoicePromptSource;
  /** The verification session and its camera preview, served under `/api/session`, where the runtime runs one. */
  readonly session?: SessionRouteDeps;
  readonly log: Logger;
  /** Demo mode's controls: `/demo/` is mounted only when given. */
  readonly demo?: DemoControls;
}

/** Builds the edge server's Hono application. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  if (deps.session) app.route("/api/session", sessionRoutes(deps.session));
  app.route("/api", healthRoutes(deps.health));
  app.route("/voice", voiceRoutes(deps.voice));
  if (deps.demo) app.route("/", demoRoutes(deps.demo, deps.assets));
  app.route("/", uiRoutes(deps.assets, { demo: deps.demo !== undefined }));
  app.notFound((c) => problemResponse(new KioskError("not-found", `No route for ${c.req.method} "${c.req.path}"`)));
  app.onError((error, c) => {
    if (!isKioskError(error) || error.code === "internal") {
      deps.log.error("request failed", { method: c.req.method, path: c.req.path, error });
    }
    return problemResponse(error);
  });
  return app;
}
