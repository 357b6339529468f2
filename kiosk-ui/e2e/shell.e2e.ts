/**
 * The kiosk UI shell in Chromium, against a fake backend whose health the
 * test controls: the idle screen, the language switch through the session,
 * the starting screen, and the out-of-service screen for an unreachable or
 * hung server (device faults come with the session view:
 * session-screens.e2e.ts). Every screen is audited in both languages (axe-core, touch-target
 * and text sizes) and saved as a screenshot under var/test/screenshots/.
 */
import { expect, test } from "@playwright/test";
import { auditScreen } from "../src/testing/index.ts";
import { FakeEdge, health } from "./fake-edge.ts";
import { views } from "./session-views.ts";

const at = "2026-11-23T08:00:00.000Z";

let edge: FakeEdge;

test.use({ viewport: { width: 1080, height: 1920 } });

test.beforeAll(async () => {
  edge = await FakeEdge.serveBuiltUi();
});

test.afterAll(() => edge.dispose());

test.beforeEach(() => {
  edge.current = health();
  edge.view = views.idle();
  edge.events.length = 0;
  edge.hung = false;
});

test("shows the idle screen and switches between Chinese and English through the session", async ({ page }) => {
  await page.goto(`${edge.url}/`);
  await expect(page.getByRole("heading", { name: "企业登记实名认证" }).last()).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "已连接" })).toBeVisible();

  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.getByRole("button", { name: "Start" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  expect(edge.events).toContainEqual({ type: "set-language", language: "en" });

  await page.getByRole("button", { name: "切换到中文" }).click();
  await expect(page.getByRole("button", { name: "开始办理" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
});

test("shows a starting screen until the first health report arrives", async ({ page }) => {
  edge.hung = true;
  // The first health read never ends, so the screen stays up for the audit.
  await page.addInitScript(() => {
    AbortSignal.timeout = () => new AbortController().signal;
  });
  await page.goto(`${edge.url}/`);
  await expect(page.getByRole("status").filter({ hasText: "正在启动，请稍候" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "已连接" })).toHaveCount(0);
  await auditScreen(page, "starting");
});

test("tells the applicant when the kiosk works offline from central", async ({ page }) => {
  edge.current = health({
    status: "degraded",
    central: { url: "http://central", lastHeartbeatAt: at, lastError: { code: "central-unreachable", message: "x", at }, consecutiveFailures: 2 },
  });
  await page.goto(`${edge.url}/`);
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "idle");
  await expect(page.getByRole("status").filter({ hasText: "离线工作中" })).toBeVisible();
  await auditScreen(page, "idle-offline");
});

test("shows out of service when the kiosk service does not answer", async ({ page }) => {
  await page.route("**/api/health", (route) => route.abort("connectionrefused"));
  await page.goto(`${edge.url}/`);
  await expect(page.getByRole("heading", { name: "本机暂停服务" })).toBeVisible();
  await expect(page.getByText("终端服务未响应")).toBeVisible();
  // Whether central is reachable is not known then: the footer must not claim the kiosk works offline.
  await expect(page.getByRole("status").filter({ hasText: "离线工作中" })).toHaveCount(0);
  await auditScreen(page, "out-of-service-server");
});

test("sends applicants to a staff window within 10 s when the kiosk service hangs, and comes back when it answers", async ({ page }) => {
  await page.goto(`${edge.url}/`);
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "idle");

  edge.hung = true;
  const hungAt = Date.now();
  await expect(page.getByRole("heading", { name: "本机暂停服务" })).toBeVisible({ timeout: 10_000 });
  expect(Date.now() - hungAt).toBeLessThan(10_000);
  await expect(page.getByText("终端服务未响应")).toBeVisible();

  edge.hung = false;
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "idle", { timeout: 10_000 });
});
