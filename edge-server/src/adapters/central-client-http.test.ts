import { afterEach, describe, expect, test } from "bun:test";
import type { Heartbeat } from "@kiosk/contracts";
import { HttpCentralClient } from "./central-client-http.ts";
import { rejectionCode } from "@kiosk/contracts/testing";

const at = "2026-11-23T00:00:00.000Z";
const heartbeat: Heartbeat = {
  kioskId: "hall-1-k1",
  bootId: "6f1c1d3e-8a5b-4c2e-9d7f-0a1b2c3d4e5f",
  seq: 1,
  sentAt: at,
  version: "0.1.0",
  uptimeS: 0,
  status: "ok",
  devices: { idcardReader: { kind: "simulated", state: "ready", since: at }, camera: { kind: "replay", state: "ready", since: at } },
};

let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await server?.stop(true);
  server = undefined;
});

function serve(handler: (req: Request) => Response | Promise<Response>): string {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  return `http://127.0.0.1:${server.port}`;
}

describe("HttpCentralClient", () => {
  test("posts the heartbeat as JSON and returns central's acknowledgement", async () => {
    let received: unknown;
    const url = serve(async (req) => {
      received = { method: req.method, path: new URL(req.url).pathname, body: await req.json() };
      return Response.json({ receivedAt: at });
    });
    const ack = await new HttpCentralClient({ url: `${url}/`, timeoutMs: 2000 }).sendHeartbeat(heartbeat);
    expect(ack).toEqual({ receivedAt: at });
    expect(received).toEqual({ method: "POST", path: "/api/v1/heartbeats", body: heartbeat });
  });

  test("a refused connection is central-unreachable and retryable", async () => {
    const url = serve(() => new Response("x"));
    await server?.stop(true);
    const client = new HttpCentralClient({ url, timeoutMs: 2000 });
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
  });

  test("a 503 or 429 is central-unreachable; a 400 is central-rejected", async () => {
    let status = 503;
    const url = serve(() => new Response("busy", { status }));
    const client = new HttpCentralClient({ url, timeoutMs: 2000 });
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
    status = 429;
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
    status = 400;
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-rejected");
  });

  test("a captive portal's 200 HTML page is central-rejected, never an acknowledgement", async () => {
    const url = serve(() => new Response("<html>Welcome to hall Wi-Fi</html>", { headers: { "content-type": "text/html" } }));
    expect(await rejectionCode(new HttpCentralClient({ url, timeoutMs: 2000 }).sendHeartbeat(heartbeat))).toBe("central-rejected");
  });

  test("a server that never answers times out as central-unreachable", async () => {
    const url = serve(() => new Promise<Response>(() => {}));
    const client = new HttpCentralClient({ url, timeoutMs: 150 });
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
  });
});
