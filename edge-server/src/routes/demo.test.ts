import { describe, expect, test } from "bun:test";
import { KioskError, problemSchema, type DemoCard, type ErrorCode } from "@kiosk/contracts";
import { captureLogger } from "@kiosk/contracts/testing";
import { createApp } from "../app.ts";
import type { DemoCameraControl, DemoReaderControl } from "../demo-ports.ts";
import type { Asset, AssetSource } from "../ports.ts";
import { DemoControls } from "../services/demo-controls.ts";

const html = (text: string): Asset => ({ body: new TextEncoder().encode(text), contentType: "text/html; charset=utf-8" });
const assets = (withPage = true): AssetSource => ({
  get: async (path) => (path === "/index.html" ? html("<ks-app></ks-app>") : path === "/demo/index.html" && withPage ? html("<main>demo</main>") : undefined),
});

function setup(options: { demo?: boolean; page?: boolean } = {}) {
  const calls: string[] = [];
  const reader: DemoReaderControl = {
    cards: async (): Promise<DemoCard[]> => [{ id: "resident-a", cardType: "resident", label: "A" }],
    place: async (id) => {
      if (id !== "resident-a") throw new KioskError("not-found", `Unknown card "${id}": not in the card folder`);
      calls.push(`place ${id}`);
    },
    remove: async () => void calls.push("remove"),
    liftDuringNextRead: async () => void calls.push("lift during read"),
    setConnected: async (connected) => void calls.push(`connected ${connected}`),
  };
  const camera: DemoCameraControl = {
    show: async (person, opts) => void calls.push(`show ${person}${opts?.printedPhoto ? " (photo)" : ""}`),
    perform: async () => undefined,
  };
  const { log } = captureLogger();
  const demo = options.demo === false ? {} : { demo: new DemoControls({ reader, camera }) };
  const app = createApp({ health: () => ({}) as never, assets: assets(options.page ?? true), voice: { get: async () => undefined }, log, ...demo });
  const send = (method: string, path: string, body?: unknown, type = "application/json") =>
    app.request(path, { method, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body), headers: { "Content-Type": type } }) });
  return { calls, send };
}

describe("demo routes", () => {
  test("list the cards, place and remove one, choose the camera, unplug and replug the reader", async () => {
    const { calls, send } = setup();
    const list = await send("GET", "/demo/cards");
    expect([list.status, await list.json()]).toEqual([200, [{ id: "resident-a", cardType: "resident", label: "A" }]]);
    for (const [method, path, body] of [
      ["POST", "/demo/card", { id: "resident-a" }],
      ["POST", "/demo/camera", { show: "holder" }],
      ["POST", "/demo/camera", { show: "printed-photo" }],
      ["POST", "/demo/card/lift-during-read", {}],
      ["DELETE", "/demo/card", undefined],
      ["POST", "/demo/reader", { connected: false }],
      ["POST", "/demo/reader", { connected: true }],
    ] as const) {
      expect((await send(method, path, body)).status, `${method} ${path}`).toBe(204);
    }
    expect(calls).toEqual(["place resident-a", "show resident-a", "show resident-a (photo)", "lift during read", "remove", "connected false", "connected true"]);
  });

  test("bad bodies get typed 4xx problems and change nothing", async () => {
    const { calls, send } = setup();
    const cases: [string, unknown, string | undefined, number, ErrorCode][] = [
      ["/demo/card", { id: "nobody-knows" }, undefined, 404, "not-found"],
      ["/demo/card", { id: 12 }, undefined, 400, "bad-request"],
      ["/demo/card", "{", undefined, 400, "bad-request"],
      ["/demo/camera", { show: "ghost" }, undefined, 400, "bad-request"],
      ["/demo/reader", { connected: "yes" }, undefined, 400, "bad-request"],
      ["/demo/reader", { connected: true }, "text/plain", 415, "unsupported-media-type"],
      ["/demo/card", { id: "x".repeat(2000) }, undefined, 413, "payload-too-large"],
    ];
    for (const [path, body, type, status, code] of cases) {
      const response = await send("POST", path, body, type);
      expect([response.status, problemSchema.parse(await response.json()).code], `${path} ${JSON.stringify(body).slice(0, 40)}`).toEqual([status, code]);
    }
    expect(calls).toEqual([]);
  });

  test("GET /demo/ serves the built demo page; the UI may be framed by it", async () => {
    const { send } = setup();
    const page = await send("GET", "/demo/");
    expect([page.status, await page.text()]).toEqual([200, "<main>demo</main>"]);
    expect(page.headers.get("Content-Security-Policy")).toContain("frame-src 'self'");
    expect((await send("GET", "/")).headers.get("Content-Security-Policy")).toContain("frame-ancestors 'self'");
    const missing = await setup({ page: false }).send("GET", "/demo/");
    expect(missing.status).toBe(404);
  });

  test("without demo mode nothing under /demo/ answers and the UI refuses framing", async () => {
    const { send } = setup({ demo: false });
    for (const [method, path] of [["GET", "/demo/"], ["GET", "/demo/index.html"], ["GET", "/demo/cards"], ["POST", "/demo/card"]] as const) {
      expect((await send(method, path, method === "POST" ? { id: "resident-a" } : undefined)).status, path).toBe(404);
    }
    expect((await send("GET", "/")).headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });
});
