/**
 * `./kiosk demo` seen from a browser, on a PATH without socat and ffmpeg as
 * on a fresh machine: the kiosk UI shell loads, the edge server reports
 * health as JSON, central shows the kiosk's heartbeat, and
 * the open matters central holds for the demo cardholders reach the kiosk's
 * sync-down cache. The demo page's controls reach the simulated reader and
 * the demo camera.
 */
import { edgeHealthSchema } from "@kiosk/contracts";
import { openSyncCacheReader } from "@kiosk/edge-server/testing";
import { a11yViolations } from "@kiosk/ui/testing";
import { expect, test as base, type APIRequestContext } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathWithoutExtras, startDemo, type Demo } from "../src/testing/demo-process.ts";

// The demo runs as a fixture so that its whole process tree is stopped on
// every path: the test passing, failing or timing out, and the demo failing
// to start. Stopping never throws, so the test's own failure is the one reported.
const test = base.extend<{ demo: Demo }>({
  demo: async ({}, use, testInfo) => {
    const dir = mkdtempSync(join(tmpdir(), "kiosk-demo-"));
    let demo: Demo | undefined;
    try {
      demo = await startDemo(join(dir, "data"), pathWithoutExtras(dir));
      await use(demo);
    } finally {
      await demo?.group.stop();
      if (demo) await testInfo.attach("demo output", { body: demo.group.output, contentType: "text/plain" });
      rmSync(dir, { recursive: true, force: true });
    }
  },
});

test("without socat or ffmpeg, the demo serves the UI shell and health, and central shows the kiosk's heartbeat", async ({ page, request, demo }) => {
  expect(Bun.which("socat", { PATH: demo.path }) ?? Bun.which("ffmpeg", { PATH: demo.path }), "the demo's PATH has neither").toBeNull();
  await page.goto(`${demo.edgeUrl}/`);
  await expect(page.getByRole("heading", { name: "实名核验自助终端" })).toBeVisible();
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "idle");
  await expect(page.getByRole("heading", { name: "企业登记实名认证" })).toBeVisible();
  await expect(page.getByText("终端编号 demo-hall-01-k01")).toBeVisible();
  expect(await a11yViolations(page), "axe-core on the UI the edge server serves").toEqual([]);

  const res = await request.get(`${demo.edgeUrl}/api/health`);
  expect(res.status()).toBe(200);
  const health = edgeHealthSchema.parse(await res.json());
  expect(health).toMatchObject({ service: "edge", kioskId: "demo-hall-01-k01", status: "ok" });
  expect(health.devices.idcardReader.state).toBe("ready");
  expect(health.face?.workers, "the face engine runs its workers").toBeGreaterThan(0);
  expect(health.face?.model).toMatch(/^face-api-recognition@/);

  await page.goto(`${demo.centralUrl}/`);
  const row = page.locator('tr[data-kiosk-id="demo-hall-01-k01"]');
  await expect(row).toBeVisible();
  await expect(row).toContainText("在线 online");
  // The first heartbeat may go out while the devices are still starting; the
  // next one (5 s later) and the console's 5 s refresh show the kiosk ok.
  await expect(row.locator(".status")).toHaveText("ok", { timeout: 20_000 });

  // Ctrl-C (SIGINT to the whole group, as a terminal sends it) stops the
  // demo and every process it started in order, without a kill.
  expect(demo.group.running().length, "the demo, central and the kiosk run as processes").toBeGreaterThanOrEqual(3);
  const exit = await demo.group.stop();
  expect(exit, demo.group.output).toEqual({ code: 0, signal: null, killed: 0 });
  expect(demo.group.output).toContain("Demo stopped.");
  expect(demo.group.running()).toEqual([]);
  await expect(request.get(`${demo.edgeUrl}/api/health`)).rejects.toThrow();
  await expect(request.get(`${demo.centralUrl}/api/health`)).rejects.toThrow();
});

/** The card numbers of the demo cards (`device/src/idcard/simulator/demo-cards/`). */
const CARD = { resident: "110105199203140374", hmt: "810000199506210040", foreign2017: "GBR110087090518", foreign2023: "931250199002120028", lost: "440106198807090265" };

/** The sync-down section of the kiosk's health report. */
async function syncDownHealth(request: APIRequestContext, edgeUrl: string) {
  return edgeHealthSchema.parse(await (await request.get(`${edgeUrl}/api/health`)).json()).syncDown;
}

test("the demo cardholders' open matters reach the kiosk's sync-down cache, once across restarts", async ({ request, demo }) => {
  expect(demo.group.output).toContain("Open matters:     resident card 2, hmt-residence card 2, foreign-2017 card 1, foreign-2023 card none");
  await expect.poll(async () => (await syncDownHealth(request, demo.edgeUrl))?.openMatters, { timeout: 20_000, message: "the kiosk pulls the matters" }).toBe(4);
  const first = await syncDownHealth(request, demo.edgeUrl);
  expect(first?.blocklisted, "the lost demo card is on the blocklist").toBe(1);
  const cache = { dbPath: join(demo.dataDir, "edge", "kiosk.db"), dataKeyFile: join(demo.dataDir, "edge", "keys", "data.key") };
  const reader = await openSyncCacheReader(cache);
  let resident;
  try {
    resident = await reader.pendingMatters(CARD.resident);
    expect(resident.map((m) => [m.matterId, m.kind, m.companyName, m.persons.find((p) => p.idNumber === CARD.resident)?.role])).toEqual([
      ["DEMO-2026-0001", "establishment", "北京明远智联科技有限公司", "legal-representative"],
      ["DEMO-2026-0004", "change", "北京青禾餐饮管理有限公司", "supervisor"],
    ]);
    expect((await reader.pendingMatters(CARD.hmt)).map((m) => m.matterId)).toEqual(["DEMO-2026-0001", "DEMO-2026-0002"]);
    expect((await reader.pendingMatters(CARD.foreign2017)).map((m) => m.matterId)).toEqual(["DEMO-2026-0003"]);
    expect(await reader.pendingMatters(CARD.foreign2023)).toEqual([]);
    expect((await reader.pendingMatters(CARD.lost)).map((m) => m.matterId)).toEqual(["DEMO-2026-0002"]);
  } finally {
    reader.close();
  }

  // A restart on the same data writes the same matters again: central logs
  // no change, so the kiosk's cursor and the matters stay as they were.
  expect((await demo.group.stop()).code).toBe(0);
  const again = await startDemo(demo.dataDir, demo.path);
  try {
    const health = () => syncDownHealth(request, again.edgeUrl);
    await expect.poll(async () => (await health())?.lastCompleteAt, { timeout: 20_000, message: "the restarted kiosk pulls again" }).not.toBe(first?.lastCompleteAt);
    expect(await health()).toMatchObject({ cursor: first?.cursor, openMatters: 4, blocklisted: 1 });
    const rereader = await openSyncCacheReader(cache);
    try {
      expect(await rereader.pendingMatters(CARD.resident)).toEqual(resident);
    } finally {
      rereader.close();
    }
  } finally {
    await again.group.stop();
  }
});

/** The simulated reader's own state, read from its control socket. */
async function simulatorStatus(demo: Demo): Promise<{ cardId: string | null; connected: boolean }> {
  const response = await fetch("http://simulator/status", { unix: join(demo.dataDir, "reader.sock") });
  return (await response.json()) as { cardId: string | null; connected: boolean };
}

async function readerState(request: APIRequestContext, edgeUrl: string): Promise<string> {
  return edgeHealthSchema.parse(await (await request.get(`${edgeUrl}/api/health`)).json()).devices.idcardReader.state;
}

test("the demo page: the kiosk screen beside controls that place and remove cards, choose the camera's person and unplug the reader", async ({ page, request, demo }) => {
  expect(demo.group.output).toContain(`Demo page:        ${demo.edgeUrl}/demo/`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${demo.edgeUrl}/demo/`);
  await expect(page.getByRole("heading", { name: "Shiming Kiosk demo" })).toBeVisible();
  await expect(page.frameLocator("iframe").getByRole("heading", { name: "实名核验自助终端" })).toBeVisible();
  const frame = await page.locator("iframe").boundingBox();
  expect(frame?.height, "the portrait kiosk screen is scaled to the page's height").toBeGreaterThan(800);
  expect(Math.abs((frame?.width ?? 0) / (frame?.height ?? 1) - 1080 / 1920)).toBeLessThan(0.01);

  const cards = page.locator("#cards button[data-card-id]");
  await expect(cards).toHaveCount(6);
  await expect(page.locator('button[data-card-id="resident-lost-wang-xiaomei"]')).toContainText("blocklisted");
  await expect(page.locator('button[data-card-id="resident-expired-li-guohua"]')).toContainText("expired");
  await expect(page.locator('button[data-card-id="hmt-chen-jiaxin"]')).toContainText("HK/Macau/Taiwan residence permit");
  expect(await a11yViolations(page), "axe-core on the demo page").toEqual([]);

  const status = page.getByRole("status");
  for (const id of await cards.evaluateAll((buttons) => buttons.map((button) => button.getAttribute("data-card-id") ?? ""))) {
    await page.locator(`button[data-card-id="${id}"]`).click();
    await expect(status).toContainText("on the reader");
    expect((await simulatorStatus(demo)).cardId).toBe(id);
  }
  await page.getByRole("button", { name: "Take the card off the reader" }).click();
  await expect(status).toHaveText("Took the card off the reader");
  expect((await simulatorStatus(demo)).cardId).toBeNull();

  for (const show of ["holder", "other", "printed-photo", "nobody"]) {
    const button = page.locator(`button[data-camera="${show}"]`);
    await button.click();
    await expect(button).toHaveAttribute("aria-pressed", "true");
    await expect(status).toContainText("The camera now sees");
    await expect(page.locator('button[data-camera][aria-pressed="true"]')).toHaveCount(1);
  }

  const health = edgeHealthSchema.parse(await (await request.get(`${demo.edgeUrl}/api/health`)).json());
  expect([health.devices.idcardReader.state, health.devices.camera.kind, health.devices.camera.state], "the demo camera replaces the configured one").toEqual(["ready", "demo", "ready"]);
  await expect(page.locator("[data-device=camera]")).toHaveText("ready");
  await page.getByRole("button", { name: "Unplug the reader" }).click();
  await expect(status).toHaveText("Unplugged the reader");
  expect((await simulatorStatus(demo)).connected).toBe(false);
  await expect.poll(() => readerState(request, demo.edgeUrl), { timeout: 15_000, message: "the kiosk sees the reader go away" }).not.toBe("ready");
  await expect(page.locator("[data-device=idcardReader]")).not.toHaveText("ready", { timeout: 10_000 });
  await page.getByRole("button", { name: "Plug the reader back in" }).click();
  await expect(status).toHaveText("Plugged the reader back in");
  await expect.poll(() => readerState(request, demo.edgeUrl), { timeout: 20_000, message: "the kiosk finds the reader again" }).toBe("ready");
  await expect(page.locator("[data-device=idcardReader]")).toHaveText("ready", { timeout: 10_000 });
});
