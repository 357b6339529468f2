/**
 * A stand-in for the edge server in the UI's browser tests: serves a built
 * UI, a health report and a session view the test sets (the view over
 * Server-Sent Events as the session API does), records the applicant's
 * events and signatures, and streams preview frames on the face step; on a
 * real socket that the test can stop and start again on the same port (an
 * edge-server restart).
 */
import {
  SOFTWARE_VERSION,
  applicantEventSchema,
  sessionViewSchema,
  type ApplicantEvent,
  type EdgeHealth,
  type PreviewFrame,
  type SessionPrompt,
  type SessionView,
  type SignatureInput,
} from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildUi } from "../build.ts";
import { views } from "./session-views.ts";

const at = "2026-11-23T08:00:00.000Z";

/** A health report of a kiosk that is ready and serves this UI's version, with `overrides` applied. */
export function health(overrides: Partial<EdgeHealth> = {}): EdgeHealth {
  return {
    service: "edge",
    status: "ok",
    kioskId: "hall-3-k7",
    version: SOFTWARE_VERSION,
    startedAt: at,
    uptimeS: 10,
    devices: { idcardReader: { kind: "serial", state: "ready", since: at }, camera: { kind: "v4l2", state: "ready", since: at } },
    central: { url: "http://central", lastHeartbeatAt: at, lastError: null, consecutiveFailures: 0 },
    ...overrides,
  };
}

/** A 60 × 80 grey-blue gradient JPEG, the picture of every preview frame. */
const FRAME_JPEG =
  "/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgQEBMQExYWFhYWFhoYGhsbGxoaGhobGxsdHR0iIiIdHR0bGx0dICAiIiUmJSMjIiMmJigoKDAwLi44ODpFRVP/xABTAAADAQEBAQAAAAAAAAAAAAAAAQMEAgYFAQEBAAAAAAAAAAAAAAAAAAAABBABAQEAAAAAAAAAAAAAAAAAAQAREQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAUAA8AwESAAISAAMSAP/aAAwDAQACEQMRAD8A9PFWJQRABEAEQARABc7ADorAHW2fYA2xABEAEQAXCwA1oLADWgsAC0FgDraGwB9uIAKawALQWAGtBYAa2dYAa0FgBrQWAHtDYA9KtnWAGtBYAa0FgBrZ1gBrQWAGtnWAGtBYA62hsAekWgsANbOsANaCwA1oLAAtBYAa0FgBrQWAHtOAP//Z";

/** Time between preview frames: 10 per second. */
const FRAME_INTERVAL_MS = 100;

const SSE_HEADERS = { "Content-Type": "text/event-stream", "Cache-Control": "no-store" };

/** The fake edge server; `start` it, set `current` and `view`, `stop` it. */
export class FakeEdge {
  /** The report `GET /api/health` returns (503 when out of service). */
  current: EdgeHealth = health();
  /** While true, requests under `/api/` are accepted and never answered. */
  hung = false;
  /** Paths requested since start, in order, across restarts. */
  readonly requests: string[] = [];
  /** Applicant events posted, in order. */
  readonly events: ApplicantEvent[] = [];
  /** Signatures posted, in order. */
  readonly signatures: SignatureInput[] = [];
  /** Preview frames sent, in order. */
  readonly framesSent: PreviewFrame[] = [];
  /**
   * What an event leads to: a new view, or undefined to keep the view
   * (`set-language` always switches the language, as the session does).
   */
  react: (event: ApplicantEvent, view: SessionView) => SessionView | undefined = () => undefined;
  #view: SessionView = views.idle();
  readonly #streams = new Set<(event: string, data: unknown) => void>();
  readonly #uiDir: string;
  #server: ReturnType<typeof Bun.serve> | undefined;
  #port = 0;

  private constructor(uiDir: string) {
    this.#uiDir = uiDir;
  }

  /** Builds the UI into a temporary folder and serves it on a free loopback port; `dispose` removes both. */
  static async serveBuiltUi(): Promise<FakeEdge> {
    const uiDir = mkdtempSync(join(tmpdir(), "kiosk-ui-"));
    await buildUi(uiDir);
    const edge = new FakeEdge(uiDir);
    edge.#listen();
    return edge;
  }

  /** Stops serving and removes the built UI. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.#uiDir, { recursive: true, force: true });
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** The session view served now. */
  get view(): SessionView {
    return this.#view;
  }

  /** Serves `view` from now on and pushes it to every open stream. */
  set view(view: SessionView) {
    this.#view = sessionViewSchema.parse(view);
    this.#push("view", this.#view);
  }

  /** Pushes a voice prompt to every open stream. */
  sayPrompt(prompt: SessionPrompt): void {
    this.#push("prompt", prompt);
  }

  /** Number of open session streams. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Closes the socket and every open connection, as a crashed server would. */
  async stop(): Promise<void> {
    await this.#server?.stop(true);
    this.#server = undefined;
    this.#streams.clear();
  }

  /** Listens again on the port it had before `stop`; nothing when it is listening. */
  restart(): void {
    if (!this.#server) this.#listen();
  }

  #listen(): void {
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: this.#port,
      // Event streams stay open with nothing to say for a while.
      idleTimeout: 0,
      fetch: async (req) => {
        const path = new URL(req.url).pathname;
        this.requests.push(path);
        if (this.hung && path.startsWith("/api/")) return new Promise<Response>(() => {});
        if (path === "/api/health") return Response.json(this.current, { status: this.current.status === "out-of-service" ? 503 : 200 });
        if (path === "/api/session/stream") return this.#sessionStream();
        if (path === "/api/session/preview") return this.#previewStream();
        if (path === "/api/session/events" && req.method === "POST") return this.#event(await req.json());
        if (path === "/api/session/signature" && req.method === "POST") return this.#signature((await req.json()) as SignatureInput);
        const file = Bun.file(join(this.#uiDir, path === "/" ? "index.html" : path));
        return (await file.exists()) ? new Response(file, { headers: { "Cache-Control": "no-cache" } }) : new Response("not found", { status: 404 });
      },
    });
    this.#port = this.#server.port ?? 0;
  }

  #push(event: string, data: unknown): void {
    for (const send of this.#streams) send(event, data);
  }

  #eventStream(start: (send: (event: string, data: unknown) => void) => () => void): Response {
    const encoder = new TextEncoder();
    let stop = () => {};
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        stop = start((event, data) => controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)));
      },
      cancel: () => stop(),
    });
    return new Response(body, { headers: SSE_HEADERS });
  }

  #sessionStream(): Response {
    return this.#eventStream((send) => {
      this.#streams.add(send);
      send("view", this.#view);
      return () => this.#streams.delete(send);
    });
  }

  #previewStream(): Response {
    if (this.#view.step !== "face") return Response.json({ code: "session-rejected" }, { status: 409 });
    return this.#eventStream((send) => {
      const timer = setInterval(() => {
        if (this.#view.step !== "face") return;
        const frame: PreviewFrame = { atMs: Date.now(), width: 600, height: 800, jpeg: FRAME_JPEG, face: { x: 180, y: 200, width: 240, height: 300 }, guidance: this.#view.guidance };
        this.framesSent.push(frame);
        send("frame", frame);
      }, FRAME_INTERVAL_MS);
      return () => clearInterval(timer);
    });
  }

  #event(body: unknown): Response {
    const parsed = applicantEventSchema.safeParse(body);
    if (!parsed.success) return Response.json({ code: "bad-request" }, { status: 400 });
    const event = parsed.data;
    this.events.push(event);
    const next = event.type === "set-language" ? { ...this.#view, language: event.language } : this.react(event, this.#view);
    if (next) this.view = next;
    return Response.json(this.#view);
  }

  #signature(signature: SignatureInput): Response {
    if (this.#view.step !== "signature") return Response.json({ code: "session-rejected" }, { status: 409 });
    this.signatures.push(signature);
    this.view = views.saving();
    return Response.json(this.#view);
  }
}
