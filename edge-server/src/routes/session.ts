/**
 * The session API for the kiosk UI (`contracts/src/session-api.ts`): the
 * current view, the event stream of views and voice prompts, the
 * applicant's events and signature, and the live camera preview of the face
 * step. Web standards and Hono only, so it runs on Bun and on Deno.
 */
import {
  applicantEventSchema,
  KioskError,
  SESSION_API_MAX_BODY_BYTES,
  signatureSchema,
  type Clock,
  type PreviewFrame,
  type SessionPrompt,
  type SessionView,
} from "@kiosk/contracts";
import { Hono } from "hono";
import { streamSSE, type SSEStreamingApi } from "hono/streaming";
import type { SessionRejection } from "../domain/verification-session-types.ts";
import { parseBody, readJsonBody } from "../middleware/json-body.ts";
import type { SessionHub } from "../services/verification-session-service.ts";

/**
 * Time between two keep-alive comments on the event stream, in ms: the idle
 * screen can go hours without a view, and the HTTP server closes a
 * connection silent for 30 s.
 */
export const SESSION_STREAM_KEEPALIVE_MS = 15_000;

/** The live preview as the routes use it (`CameraPreview`). */
export interface PreviewViewers {
  /** Opens a viewer; null when the session is not on the face step. */
  open(onFrame: (frame: PreviewFrame) => void, onEnd: () => void): (() => void) | null;
}

/** What the session routes need. */
export interface SessionRouteDeps {
  readonly hub: SessionHub;
  readonly preview: PreviewViewers;
  readonly clock: Clock;
}

/** The `/api/session` routes. */
export function sessionRoutes(deps: SessionRouteDeps): Hono {
  const { hub, preview, clock } = deps;
  const app = new Hono();

  app.get("/", (c) => c.json(hub.view()));

  app.get("/stream", (c) =>
    streamSSE(c, async (stream) => {
      const send = serialWriter(stream);
      send("view", hub.view());
      const unsubscribe = hub.subscribe(
        (view: SessionView) => send("view", view),
        (prompt: SessionPrompt) => send("prompt", prompt),
      );
      let keepAlive = clock.setTimeout(function ping() {
        send(null, null);
        keepAlive = clock.setTimeout(ping, SESSION_STREAM_KEEPALIVE_MS);
      }, SESSION_STREAM_KEEPALIVE_MS);
      await new Promise<void>((resolve) => stream.onAbort(resolve));
      clock.clearTimeout(keepAlive);
      unsubscribe();
    }),
  );

  app.post("/events", async (c) => {
    const event = parseBody(applicantEventSchema, await readJsonBody(c.req.raw, SESSION_API_MAX_BODY_BYTES));
    refuseOn(hub.send(event));
    return c.json(hub.view());
  });

  app.post("/signature", async (c) => {
    const body = await readJsonBody(c.req.raw, SESSION_API_MAX_BODY_BYTES);
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new KioskError("bad-request", "Invalid request body: expected a JSON object");
    // The kiosk's clock, not the UI's, dates the signature.
    const signature = parseBody(signatureSchema, { ...body, capturedAt: new Date(clock.now()).toISOString() });
    refuseOn(hub.sign(signature));
    return c.json(hub.view());
  });

  app.get("/preview", (c) => {
    let push: ((frame: PreviewFrame) => void) | undefined;
    let finish: (() => void) | undefined;
    let ended = false;
    const close = preview.open(
      (frame) => push?.(frame),
      () => {
        ended = true;
        finish?.();
      },
    );
    if (close === null) {
      const step = hub.view().step;
      throw new KioskError("session-rejected", `The camera preview runs only on the face step: the session is on "${step}"`, { details: { reason: "not-in-step", step } });
    }
    return streamSSE(c, async (stream) => {
      // Only the newest frame waits while one is written: a slow viewer skips frames instead of falling behind.
      let waiting: PreviewFrame | undefined;
      let writing = false;
      const flush = async () => {
        writing = true;
        for (let frame = waiting; frame !== undefined; frame = waiting) {
          waiting = undefined;
          await stream.writeSSE({ event: "frame", data: JSON.stringify(frame) });
        }
        writing = false;
      };
      push = (frame) => {
        waiting = frame;
        if (!writing) void flush();
      };
      await new Promise<void>((resolve) => {
        finish = resolve;
        stream.onAbort(resolve);
        if (ended) resolve();
      });
      close();
      waiting = undefined;
    });
  });

  return app;
}

/** Writes SSE events in the order given, each after the one before; a null event is a keep-alive comment. */
function serialWriter(stream: SSEStreamingApi): (event: "view" | "prompt" | null, data: unknown) => void {
  let chain = Promise.resolve();
  return (event, data) => {
    if (event === null) {
      chain = chain.then(async () => {
        await stream.write(": keep-alive\n\n");
      });
      return;
    }
    const text = JSON.stringify(data);
    chain = chain.then(() => stream.writeSSE({ event, data: text }));
  };
}

/** @throws {KioskError} `session-rejected` (409) with the rejection code as `details.reason`, when `rejection` is set. */
function refuseOn(rejection: SessionRejection | null): void {
  if (rejection === null) return;
  throw new KioskError("session-rejected", rejection.message, {
    details: { reason: rejection.code, step: rejection.step },
  });
}
