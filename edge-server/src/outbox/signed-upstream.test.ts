import { describe, expect, test } from "bun:test";
import { generateSigner, KioskError, toProblem } from "@kiosk/contracts";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import { CentralClock } from "./central-clock.ts";
import { SignedUpstream } from "./signed-upstream.ts";
import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from "./upstream-client.ts";

const KIOSK_NOW = Date.parse("1970-01-02T00:00:00.000Z");
const CENTRAL_NOW = Date.parse("2026-11-23T08:00:00.000Z");

function expired(centralTime: string): UpstreamResponse {
  const details = { centralTime, requestTime: "1970-01-02T00:00:00.000Z", skewMs: KIOSK_NOW - Date.parse(centralTime), windowMs: 300_000 };
  const problem = toProblem(new KioskError("request-expired", "Request timestamp is outside the window", { details }));
  return { status: 401, retryAfter: null, contentType: "application/problem+json", text: JSON.stringify(problem) };
}

// Answers with `answers` in turn and records each request.
function scripted(answers: UpstreamResponse[]): UpstreamClient & { sent: UpstreamRequest[] } {
  const sent: UpstreamRequest[] = [];
  return {
    url: "http://127.0.0.1:9",
    sent,
    send: async (request) => {
      sent.push(request);
      return answers.shift() ?? { status: 200, retryAfter: null, contentType: "application/json", text: "{}" };
    },
  };
}

async function setup(answers: UpstreamResponse[]) {
  const clock = new FakeClock(KIOSK_NOW);
  const centralClock = new CentralClock(clock);
  const upstream = scripted(answers);
  const { log, records } = captureLogger();
  const client = new SignedUpstream({ upstream, signer: await generateSigner(), centralClock, log });
  return { clock, centralClock, upstream, client, records };
}

const request = { method: "POST", path: "/api/v1/kiosks/k-1/batches", idempotencyKey: "k-1:1:1-2", headers: { "Content-Type": "application/json" }, body: new Uint8Array([1, 2]) } as const;

describe("SignedUpstream", () => {
  test("signs every attempt afresh and corrects its clock by central's time after an expired refusal", async () => {
    const { centralClock, upstream, client, records } = await setup([expired("2026-11-23T08:00:00.000Z")]);
    const answer = await client.send(request);
    expect(answer.status).toBe(200);
    expect(upstream.sent).toHaveLength(2);
    const [first, second] = upstream.sent.map((r) => r.headers) as [Record<string, string>, Record<string, string>];
    expect(first["X-Kiosk-Timestamp"]).toBe("1970-01-02T00:00:00.000Z");
    expect(second["X-Kiosk-Timestamp"]).toBe("2026-11-23T08:00:00.000Z");
    expect(second["X-Kiosk-Nonce"]).not.toBe(first["X-Kiosk-Nonce"]);
    expect(second["X-Kiosk-Nonce"]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(second["Idempotency-Key"]).toBe("k-1:1:1-2");
    expect(second["Content-Type"]).toBe("application/json");
    expect(centralClock.offsetMs).toBe(CENTRAL_NOW - KIOSK_NOW);
    expect(records.filter((r) => r.level === "warn")).toHaveLength(1);
  });

  test("retries once only: a second expired refusal is returned as it is", async () => {
    const { upstream, client } = await setup([expired("2026-11-23T08:00:00.000Z"), expired("2026-11-23T09:00:00.000Z")]);
    expect((await client.send(request)).status).toBe(401);
    expect(upstream.sent).toHaveLength(2);
  });

  test("any other refusal is returned without a retry or a correction", async () => {
    const unauthorized = toProblem(new KioskError("unauthorized", "Key is revoked"));
    const { centralClock, upstream, client } = await setup([
      { status: 401, retryAfter: null, contentType: "application/problem+json", text: JSON.stringify(unauthorized) },
    ]);
    expect((await client.send(request)).status).toBe(401);
    const { client: portal, upstream: portalUpstream } = await setup([{ status: 401, retryAfter: null, contentType: "text/html", text: "<html>log in</html>" }]);
    expect((await portal.send(request)).status).toBe(401);
    expect([upstream.sent.length, portalUpstream.sent.length, centralClock.offsetMs]).toEqual([1, 1, 0]);
  });
});
