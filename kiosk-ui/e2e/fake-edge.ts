/**
 * A stand-in for the edge server in the UI's browser tests: serves a built
 * UI and a health report the test sets, on a real socket that the test can
 * stop and start again on the same port (an edge-server restart).
 */
import { SOFTWARE_VERSION, type EdgeHealth } from "@kiosk/contracts";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildUi } from "../build.ts";

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

/** The fake edge server; `start` it, set `current`, `stop` it. */
export class FakeEdge {
  /** The report `GET /api/health` returns (503 when out of service). */
  current: EdgeHealth = health();
  /** While true, requests under `/api/` are accepted and never answered. */
  hung = false;
  /** Paths requested since start, in order, across restarts. */
  readonly requests: string[] = [];
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

  /** Closes the socket and every open connection, as a crashed server would. */
  async stop(): Promise<void> {
    await this.#server?.stop(true);
    this.#server = undefined;
  }

  /** Listens again on the port it had before `stop`; nothing when it is listening. */
  restart(): void {
    if (!this.#server) this.#listen();
  }

  #listen(): void {
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: this.#port,
      fetch: async (req) => {
        const path = new URL(req.url).pathname;
        this.requests.push(path);
        if (this.hung && path.startsWith("/api/")) return new Promise<Response>(() => {});
        if (path === "/api/health") return Response.json(this.current, { status: this.current.status === "out-of-service" ? 503 : 200 });
        const file = Bun.file(join(this.#uiDir, path === "/" ? "index.html" : path));
        return (await file.exists()) ? new Response(file, { headers: { "Cache-Control": "no-cache" } }) : new Response("not found", { status: 404 });
      },
    });
    this.#port = this.#server.port ?? 0;
  }
}
