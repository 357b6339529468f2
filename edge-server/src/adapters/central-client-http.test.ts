import { afterEach, describe, expect, test } from "bun:test";
import { generateSigner, importVerifyKey, KIOSK_REQUEST_HEADERS, requestSigningInput, sha256Hex, fromBase64Url, verifySignature, systemClock, type Heartbeat, type Signer } from "@kiosk/contracts";
import { captureLogger, rejectionCode } from "@kiosk/contracts/testing";
import { CentralClock } from "../outbox/central-clock.ts";
import { SignedUpstream } from "../outbox/signed-upstream.ts";
import { HttpCentralClient } from "./central-client-http.ts";
import { FetchUpstreamClient } from "./upstream-client-fetch.ts";

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

async function signedClient(url: string, timeoutMs: number, signer?: Signer): Promise<HttpCentralClient> {
  const upstream = new FetchUpstreamClient({ url, timeoutMs });
  const requests = new SignedUpstream({ upstream, signer: signer ?? (await generateSigner()), centralClock: new CentralClock(systemClock), log: captureLogger().log });
  return new HttpCentralClient({ url, requests });
}

function serve(handler: (req: Request) => Response | Promise<Response>): string {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  return `http://127.0.0.1:${server.port}`;
}

describe("HttpCentralClient", () => {
  test("posts the heartbeat as signed JSON to the kiosk's path and returns central's acknowledgement", async () => {
    const signer = await generateSigner();
    let received: { method: string; path: string; body: unknown; headers: Headers; bytes: Uint8Array } | undefined;
    const url = serve(async (req) => {
      const bytes = new Uint8Array(await req.arrayBuffer());
      received = { method: req.method, path: new URL(req.url).pathname, body: JSON.parse(new TextDecoder().decode(bytes)), headers: req.headers, bytes };
      return Response.json({ receivedAt: at });
    });
    const ack = await (await signedClient(`${url}/`, 2000, signer)).sendHeartbeat(heartbeat);
    expect(ack).toEqual({ receivedAt: at });
    expect(received).toMatchObject({ method: "POST", path: "/api/v1/kiosks/hall-1-k1/heartbeats", body: heartbeat });
    const h = KIOSK_REQUEST_HEADERS;
    const header = (name: string) => received?.headers.get(name) ?? "";
    expect(header(h.idempotencyKey)).toBe(`heartbeat:${heartbeat.bootId}:1`);
    expect(header(h.contentSha256)).toBe(await sha256Hex(received?.bytes ?? new Uint8Array(0)));
    const input = requestSigningInput({
      method: "POST",
      path: "/api/v1/kiosks/hall-1-k1/heartbeats",
      idempotencyKey: header(h.idempotencyKey),
      contentSha256: header(h.contentSha256),
      keyId: signer.keyId,
      timestamp: header(h.timestamp),
      nonce: header(h.nonce),
    });
    expect(await verifySignature(await importVerifyKey(signer.publicKey), fromBase64Url(header(h.signature)), input)).toBe(true);
  });

  test("a refused connection is central-unreachable and retryable", async () => {
    const url = serve(() => new Response("x"));
    await server?.stop(true);
    const client = await signedClient(url, 2000);
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
  });

  test("a 503 or 429 is central-unreachable; a 400 is central-rejected", async () => {
    let status = 503;
    const url = serve(() => new Response("busy", { status }));
    const client = await signedClient(url, 2000);
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
    status = 429;
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
    status = 400;
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-rejected");
  });

  test("a captive portal's 200 HTML page is central-rejected, never an acknowledgement", async () => {
    const url = serve(() => new Response("<html>Welcome to hall Wi-Fi</html>", { headers: { "content-type": "text/html" } }));
    expect(await rejectionCode((await signedClient(url, 2000)).sendHeartbeat(heartbeat))).toBe("central-rejected");
  });

  test("a server that never answers times out as central-unreachable", async () => {
    const url = serve(() => new Promise<Response>(() => {}));
    const client = await signedClient(url, 150);
    expect(await rejectionCode(client.sendHeartbeat(heartbeat))).toBe("central-unreachable");
  });
});
