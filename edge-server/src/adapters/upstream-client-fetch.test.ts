import { afterEach, describe, expect, test } from "bun:test";
import { FetchUpstreamClient } from "./upstream-client-fetch.ts";
import { rejectionCode } from "@kiosk/contracts/testing";

let server: ReturnType<typeof Bun.serve> | undefined;
afterEach(async () => {
  await server?.stop(true);
  server = undefined;
});

function serve(handler: (req: Request) => Response | Promise<Response>): string {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
  return `http://127.0.0.1:${server.port}`;
}

describe("FetchUpstreamClient", () => {
  test("sends method, path, headers and body bytes, and returns any status with Retry-After", async () => {
    let seen: unknown;
    const url = serve(async (req) => {
      seen = { method: req.method, path: new URL(req.url).pathname + new URL(req.url).search, key: req.headers.get("idempotency-key"), body: [...new Uint8Array(await req.arrayBuffer())] };
      return new Response("later", { status: 503, headers: { "Retry-After": "7" } });
    });
    const client = new FetchUpstreamClient({ url: `${url}/`, timeoutMs: 5_000 });
    const response = await client.send({ method: "POST", path: "/api/v1/x?cursor=3", headers: { "Idempotency-Key": "k" }, body: new Uint8Array([1, 2, 3]) });
    expect(response).toMatchObject({ status: 503, retryAfter: "7", text: "later" });
    expect(seen).toEqual({ method: "POST", path: "/api/v1/x?cursor=3", key: "k", body: [1, 2, 3] });
  });

  test("does not follow a redirect (a captive portal's login page)", async () => {
    const url = serve((req) => (new URL(req.url).pathname === "/login" ? new Response("<html>login</html>") : Response.redirect("http://127.0.0.1/login", 302)));
    const response = await new FetchUpstreamClient({ url, timeoutMs: 5_000 }).send({ method: "GET", path: "/api/v1/x", headers: {} });
    expect(response.status).toBe(302);
  });

  test("no answer is central-unreachable; an oversized answer is central-rejected", async () => {
    const url = serve(() => new Response("x".repeat(5_000)));
    const small = new FetchUpstreamClient({ url, timeoutMs: 5_000, maxResponseBytes: 1_000 });
    expect(await rejectionCode(small.send({ method: "GET", path: "/", headers: {} }))).toBe("central-rejected");
    await server?.stop(true);
    expect(await rejectionCode(small.send({ method: "GET", path: "/", headers: {} }))).toBe("central-unreachable");
  });
});
