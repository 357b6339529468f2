import { describe, expect, test } from "bun:test";
import { edgeHealthSchema, problemSchema, type EdgeHealth } from "@kiosk/contracts";
import { captureLogger } from "@kiosk/contracts/testing";
import { createApp } from "./app.ts";
import type { Asset, AssetSource, VoicePromptSource } from "./ports.ts";

const at = "2026-11-23T00:00:00.000Z";

function health(status: EdgeHealth["status"] = "ok"): EdgeHealth {
  return {
    service: "edge",
    status,
    kioskId: "hall-1-k1",
    version: "0.1.0",
    startedAt: at,
    uptimeS: 5,
    devices: {
      idcardReader: { kind: "simulated", state: status === "out-of-service" ? "unavailable" : "ready", since: at },
      camera: { kind: "replay", state: "ready", since: at },
    },
    central: { url: "http://central", lastHeartbeatAt: at, lastError: null, consecutiveFailures: 0 },
  };
}

const assets: AssetSource = {
  async get(path: string): Promise<Asset | undefined> {
    if (path === "/index.html") return { body: new TextEncoder().encode("<ks-app></ks-app>"), contentType: "text/html; charset=utf-8" };
    return undefined;
  },
};

const voice: VoicePromptSource = { get: async () => undefined };

function app(report: () => EdgeHealth = () => health()) {
  const { log, records } = captureLogger();
  return { app: createApp({ health: report, assets, voice, log }), records };
}

describe("edge app", () => {
  test("GET /api/health returns the health report as JSON", async () => {
    const res = await app().app.request("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(edgeHealthSchema.parse(await res.json())).toEqual(health());
  });

  test("GET /api/health answers 503 when the kiosk is out of service", async () => {
    const res = await app(() => health("out-of-service")).app.request("/api/health");
    expect(res.status).toBe(503);
    expect(edgeHealthSchema.parse(await res.json()).status).toBe("out-of-service");
  });

  test("GET / serves the UI shell with a strict content security policy", async () => {
    const res = await app().app.request("/");
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("<ks-app></ks-app>");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
  });

  test("unknown paths get a not-found problem", async () => {
    const res = await app().app.request("/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(problemSchema.parse(await res.json()).code).toBe("not-found");
  });

  test("an unexpected failure becomes an internal problem without its message, and is logged", async () => {
    const { app: failing, records } = app(() => {
      throw new Error("disk exploded at /var/secret");
    });
    const res = await failing.request("/api/health");
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(body).not.toContain("disk exploded");
    expect(problemSchema.parse(JSON.parse(body)).code).toBe("internal");
    expect(records.some((r) => r.level === "error" && r.msg === "request failed")).toBe(true);
  });
});
