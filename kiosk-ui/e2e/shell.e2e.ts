/**
 * The kiosk UI shell in Chromium, against a fake backend whose health the
 * test controls: the idle screen, the language switch, and the
 * out-of-service screen for a missing reader or an unreachable server.
 */
import type { EdgeHealth } from "@kiosk/contracts";
import { expect, test } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildUi } from "../build.ts";

const at = "2026-11-23T08:00:00.000Z";

function health(overrides: Partial<EdgeHealth> = {}): EdgeHealth {
  return {
    service: "edge",
    status: "ok",
    kioskId: "hall-3-k7",
    version: "0.1.0",
    startedAt: at,
    uptimeS: 10,
    devices: { idcardReader: { kind: "serial", state: "ready", since: at }, camera: { kind: "v4l2", state: "ready", since: at } },
    central: { url: "http://central", lastHeartbeatAt: at, lastError: null, consecutiveFailures: 0 },
    ...overrides,
  };
}

let uiDir: string;
let server: ReturnType<typeof Bun.serve>;
let current: EdgeHealth = health();
// While set, the server accepts requests for /api/ and never answers them.
let hung = false;

test.beforeAll(async () => {
  uiDir = mkdtempSync(join(tmpdir(), "kiosk-ui-"));
  await buildUi(uiDir);
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: async (req) => {
      const path = new URL(req.url).pathname;
      if (hung && path.startsWith("/api/")) return new Promise<Response>(() => {});
      if (path === "/api/health") return Response.json(current, { status: current.status === "out-of-service" ? 503 : 200 });
      const file = Bun.file(join(uiDir, path === "/" ? "index.html" : path));
      return (await file.exists()) ? new Response(file) : new Response("not found", { status: 404 });
    },
  });
});

test.afterAll(async () => {
  await server.stop(true);
  rmSync(uiDir, { recursive: true, force: true });
});

test("shows the insert-card step and switches between Chinese and English", async ({ page }) => {
  current = health();
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "已连接" })).toBeVisible();

  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.getByRole("heading", { name: "Please place your ID card on the reader" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");

  await page.getByRole("button", { name: "切换到中文" }).click();
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});

test("tells the applicant when the kiosk works offline from central", async ({ page }) => {
  current = health({
    status: "degraded",
    central: { url: "http://central", lastHeartbeatAt: at, lastError: { code: "central-unreachable", message: "x", at }, consecutiveFailures: 2 },
  });
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "离线工作中" })).toBeVisible();
});

test("sends applicants to a staff window when the reader is missing", async ({ page }) => {
  current = health({
    status: "out-of-service",
    devices: { idcardReader: { kind: "serial", state: "unavailable", since: at }, camera: { kind: "v4l2", state: "ready", since: at } },
  });
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await expect(page.getByRole("heading", { name: "本机暂停服务" })).toBeVisible();
  await expect(page.getByText("读卡器暂不可用")).toBeVisible();
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toHaveCount(0);
});

test("shows out of service when the kiosk service does not answer", async ({ page }) => {
  current = health();
  await page.route("**/api/health", (route) => route.abort("connectionrefused"));
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await expect(page.getByRole("heading", { name: "本机暂停服务" })).toBeVisible();
  await expect(page.getByText("终端服务未响应")).toBeVisible();
});

test("sends applicants to a staff window within 10 s when the kiosk service hangs, and comes back when it answers", async ({ page }) => {
  current = health();
  hung = false;
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible();

  hung = true;
  const hungAt = Date.now();
  await expect(page.getByRole("heading", { name: "本机暂停服务" })).toBeVisible({ timeout: 10_000 });
  expect(Date.now() - hungAt).toBeLessThan(10_000);
  await expect(page.getByText("终端服务未响应")).toBeVisible();

  hung = false;
  await expect(page.getByRole("heading", { name: "请将身份证放在读卡区" })).toBeVisible({ timeout: 10_000 });
});
