/**
 * requestJson against real sockets: a service that accepts the connection
 * and never answers, one that sends its headers and stalls the body, and the
 * replies it must refuse.
 */
import { isKioskError } from "@kiosk/contracts";
import { afterAll, describe, expect, test } from "bun:test";
import { requestJson } from "./request-json.ts";

const TIMEOUT_MS = 300;
const asIs = (body: unknown) => body;

// Accepts every connection and never writes a byte back.
const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });

// Answers with headers and the first bytes of a body, then stalls.
const stalling = Bun.listen({
  hostname: "127.0.0.1",
  port: 0,
  socket: {
    data(socket) {
      socket.write("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"status\":");
    },
  },
});

const replies = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(request) {
    const path = new URL(request.url).pathname;
    if (path === "/ok") return Response.json({ status: "ok" });
    if (path === "/echo" && request.method === "POST") return request.json().then((body) => Response.json({ type: request.headers.get("content-type"), body }));
    if (path === "/out-of-service") return Response.json({ status: "out-of-service" }, { status: 503 });
    if (path === "/not-json") return new Response("<html>proxy error</html>");
    return new Response("no", { status: 500 });
  },
});

afterAll(() => {
  silent.stop(true);
  stalling.stop(true);
  void replies.stop(true);
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the request to fail");
}

describe("requestJson", () => {
  test("a service that accepts the connection but never answers fails with edge-unreachable at the deadline", async () => {
    const started = performance.now();
    const error = await failure(requestJson(`http://127.0.0.1:${silent.port}/api/health`, asIs, { timeoutMs: TIMEOUT_MS }));
    const elapsed = performance.now() - started;
    expect(isKioskError(error) && error.code).toBe("edge-unreachable");
    expect(isKioskError(error) && error.details["reason"]).toBe("timeout");
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);
  });

  test("a body that stalls after the headers is still bounded by the deadline", async () => {
    const error = await failure(requestJson(`http://127.0.0.1:${stalling.port}/api/health`, asIs, { timeoutMs: TIMEOUT_MS }));
    expect(isKioskError(error) && error.code).toBe("edge-unreachable");
    expect(isKioskError(error) && error.details["reason"]).toBe("timeout");
  });

  test("a refused connection is edge-unreachable with reason network", async () => {
    const closed = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = closed.port;
    closed.stop(true);
    const error = await failure(requestJson(`http://127.0.0.1:${port}/api/health`, asIs, { timeoutMs: 2_000 }));
    expect(isKioskError(error) && error.code).toBe("edge-unreachable");
    expect(isKioskError(error) && error.details["reason"]).toBe("network");
  });

  test("parses a 2xx body, and a listed non-2xx status", async () => {
    const base = `http://127.0.0.1:${replies.port}`;
    expect(await requestJson(`${base}/ok`, asIs, { timeoutMs: 2_000 })).toEqual({ status: "ok" });
    expect(await requestJson(`${base}/out-of-service`, asIs, { timeoutMs: 2_000, acceptStatus: [503] })).toEqual({ status: "out-of-service" });
  });

  test("posts a body as JSON", async () => {
    const echoed = await requestJson(`http://127.0.0.1:${replies.port}/echo`, asIs, { timeoutMs: 2_000, body: { type: "touch" } });
    expect(echoed).toEqual({ type: "application/json", body: { type: "touch" } });
  });

  test("an unlisted status, a body that is not JSON and a body the parser refuses are edge-bad-response", async () => {
    const base = `http://127.0.0.1:${replies.port}`;
    const refuse = () => {
      throw new TypeError("not a health report");
    };
    for (const attempt of [
      requestJson(`${base}/out-of-service`, asIs, { timeoutMs: 2_000 }),
      requestJson(`${base}/broken`, asIs, { timeoutMs: 2_000 }),
      requestJson(`${base}/not-json`, asIs, { timeoutMs: 2_000 }),
      requestJson(`${base}/ok`, refuse, { timeoutMs: 2_000 }),
    ]) {
      const error = await failure(attempt);
      expect(isKioskError(error) && error.code).toBe("edge-bad-response");
    }
  });

  test("the caller's own abort is passed through, not reported as a hung service", async () => {
    const caller = new AbortController();
    const pending = failure(requestJson(`http://127.0.0.1:${silent.port}/api/health`, asIs, { timeoutMs: 5_000, signal: caller.signal }));
    caller.abort(new DOMException("the screen went away", "AbortError"));
    const error = await pending;
    expect(isKioskError(error)).toBe(false);
    expect(error).toBeInstanceOf(DOMException);
  });
});
