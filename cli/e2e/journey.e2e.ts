/**
 * The applicant's journey in Chromium against `./kiosk demo`: the real edge
 * server, central on SQLite, the reader simulator on a pty (paced at 115200
 * baud) and the replayed camera, driven through the demo's `/demo/*`
 * controls the way a person at `/demo/` drives them, on a PATH without socat
 * and ffmpeg as on a fresh machine. The screens passed are checked with
 * axe-core and photographed in both languages.
 */
import { sessionViewSchema, type SessionStep } from "@kiosk/contracts";
import { auditScreen } from "@kiosk/ui/testing";
import { expect, test as base, type APIRequestContext, type Page } from "@playwright/test";
import { Database } from "bun:sqlite";
import { join } from "node:path";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { pathWithoutExtras, startDemo, type Demo } from "../src/testing/demo-process.ts";

/** The demo card ids (file stems in `device/src/idcard/simulator/demo-cards/`). */
const CARDS = { holder: "resident-zhou-mingyuan", expired: "resident-expired-li-guohua", lost: "resident-lost-wang-xiaomei" } as const;
/** Where the demo's logs are kept after the run. */
const LOG_DIR = join(import.meta.dirname, "..", "..", "var", "test", "journey-logs");
/** The holder's card number, as central's records carry it. */
const HOLDER_NUMBER = "110105199203140374";

// One demo for the whole file: the journeys run one after another on the same kiosk, as in a hall.
const test = base.extend<{}, { demo: Demo }>({
  demo: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), "kiosk-journey-"));
      let demo: Demo | undefined;
      try {
        demo = await startDemo(join(dir, "data"), pathWithoutExtras(dir), { KIOSK_EDGE_SESSION_TIMEOUT_SCALE: "0.1" });
        await use(demo);
      } finally {
        await demo?.group.stop();
        // The demo's logs (no personal data in them) stay with the test results, for a failure to be read.
        cpSync(join(dir, "data", "logs"), LOG_DIR, { recursive: true });
        rmSync(dir, { recursive: true, force: true });
      }
    },
    { scope: "worker", timeout: 90_000 },
  ],
});

async function demoPost(request: APIRequestContext, demo: Demo, path: string, body?: unknown): Promise<void> {
  const res = body === undefined ? await request.delete(`${demo.edgeUrl}${path}`) : await request.post(`${demo.edgeUrl}${path}`, { data: body });
  expect(res.status(), `${path}: ${await res.text()}`).toBe(204);
}

async function sessionStep(request: APIRequestContext, demo: Demo): Promise<SessionStep> {
  return sessionViewSchema.parse(await (await request.get(`${demo.edgeUrl}/api/session`)).json()).step;
}

async function onStep(page: Page, step: SessionStep | "unreachable", timeout = 15_000): Promise<void> {
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", step, { timeout });
}

/** From the idle screen to "place your card" (or past it, when a card lies on the reader), in Chinese. */
async function startSession(page: Page): Promise<void> {
  await onStep(page, "idle");
  await page.locator('[data-event="start"]').first().click();
  await onStep(page, "language");
  await page.locator('[data-event="choose-language"][data-language="zh"]').click();
  await onStep(page, "consent");
  await page.locator('[data-event="consent"][data-agree="true"]').click();
  // A card already on the reader is read at once: the place-card screen may be gone before it is seen.
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", /^(place-card|reading|face|face-retry)$/);
}

/** Back to the attract screen: the card is lifted and the result acknowledged. */
async function finish(page: Page, request: APIRequestContext, demo: Demo): Promise<void> {
  await demoPost(request, demo, "/demo/card");
  if ((await page.locator("ks-app").getAttribute("data-step")) === "result") await page.locator('[data-event="done"]').click();
  await onStep(page, "idle");
}

test.beforeEach(async ({ page, demo }) => {
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(`${demo.edgeUrl}/`);
});

test("the holder is verified, confirms a matter, signs, and the result reaches central", async ({ page, request, demo }) => {
  // Nobody in front of the camera at first: the face screen waits, guiding, with the live preview.
  await demoPost(request, demo, "/demo/camera", { show: "nobody" });
  await startSession(page);
  await auditScreen(page, "journey-place-card");
  await demoPost(request, demo, "/demo/card", { id: CARDS.holder });
  await onStep(page, "face");
  await expect(page.locator("ks-camera-preview img, ks-camera-preview canvas").first()).toBeVisible();
  await expect(page.locator("[data-guidance]")).not.toBeEmpty();
  await auditScreen(page, "journey-face-guidance");
  await demoPost(request, demo, "/demo/camera", { show: "holder" });
  await onStep(page, "matters", 30_000);
  await auditScreen(page, "journey-matters");
  const matter = page.locator('[data-event="toggle-matter"][data-matter-id="DEMO-2026-0001"]');
  await matter.click();
  await expect(matter).toHaveAttribute("aria-pressed", "true");
  await page.locator('[data-event="confirm-matters"]').click();
  await onStep(page, "signature");
  await auditScreen(page, "journey-signature");
  const pad = page.locator("canvas[data-signature-pad]");
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 40, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(box.x + 40 + i * 20, box.y + box.height / 2 + (i % 2 ? 30 : -30));
  await page.mouse.up();
  await page.locator('[data-action="submit-signature"]').click();
  await onStep(page, "result");
  await expect(page.locator("ks-screen-result h1")).toHaveText("核验通过");
  await auditScreen(page, "journey-verified");

  const central = new Database(join(demo.dataDir, "central", "central.db"), { readonly: true });
  try {
    await expect
      .poll(() => central.query("select body from upstream_records where kind = 'verification-result' and schema_version = 2").all().length, { timeout: 30_000, message: "the outbox delivers the result" })
      .toBeGreaterThan(0);
    const bodies = central.query<{ body: string }, []>("select body from upstream_records where kind = 'verification-result' and schema_version = 2").all().map((r) => JSON.parse(r.body));
    const verified = bodies.find((b) => b.outcome === "verified");
    expect(verified.card.idNumber).toBe(HOLDER_NUMBER);
    expect(verified.matters).toEqual([{ matterId: "DEMO-2026-0001", role: "legal-representative" }]);
    expect(verified.signature.strokes.length).toBeGreaterThan(0);
  } finally {
    central.close();
  }
  await finish(page, request, demo);
});

test("an impostor, who placed the card before touching the screen, fails three times and gets a referral code", async ({ page, request, demo }) => {
  await demoPost(request, demo, "/demo/camera", { show: "other" });
  await demoPost(request, demo, "/demo/card", { id: CARDS.holder });
  await startSession(page);
  for (let attempt = 1; attempt <= 2; attempt++) {
    await onStep(page, "face-retry", 30_000);
    if (attempt === 1) await auditScreen(page, "journey-face-retry");
    await page.locator('[data-event="retry-face"]').click();
    await onStep(page, "face");
  }
  await onStep(page, "result", 30_000);
  await expect(page.locator("ks-screen-result h1")).toHaveText("请到窗口办理");
  await expect(page.locator("[data-referral-code]")).toHaveText(/^\d[\d ]{6,}$/);
  await expect(page.locator("[data-referral-qr]")).toBeVisible();
  await auditScreen(page, "journey-referral-impostor");
  await finish(page, request, demo);
});

test("declining face recognition ends with a referral", async ({ page, request, demo }) => {
  await onStep(page, "idle");
  await page.locator('[data-event="start"]').first().click();
  await page.locator('[data-event="choose-language"][data-language="en"]').click();
  await onStep(page, "consent");
  await page.locator('[data-event="consent"][data-agree="false"]').click();
  await onStep(page, "result");
  await expect(page.locator("ks-screen-result h1")).toHaveText("Please go to a staff window");
  await expect(page.locator("[data-referral-code]")).toBeVisible();
  await finish(page, request, demo);
});

for (const [card, what] of [[CARDS.expired, "an expired card"], [CARDS.lost, "a blocklisted card"]] as const) {
  test(`${what} is refused with its reason and a referral`, async ({ page, request, demo }) => {
    await startSession(page);
    await demoPost(request, demo, "/demo/card", { id: card });
    await onStep(page, "result");
    await expect(page.locator("ks-screen-result h1")).toHaveText("请到窗口办理");
    await auditScreen(page, `journey-${card}`);
    await finish(page, request, demo);
  });
}

test("an idle timeout ends the session and wipes it", async ({ page, request, demo }) => {
  await demoPost(request, demo, "/demo/camera", { show: "other" });
  await startSession(page);
  await demoPost(request, demo, "/demo/card", { id: CARDS.holder });
  await onStep(page, "face");
  await expect(page.locator("ks-app")).toContainText("1101********0374");
  await onStep(page, "face-retry", 30_000);
  // No touch: the retry screen's countdown (6 s, then 3 s of warning at this scale) runs out.
  await onStep(page, "idle", 20_000);
  expect(await sessionStep(request, demo)).toBe("idle");
  const view = await (await request.get(`${demo.edgeUrl}/api/session`)).text();
  expect(view).not.toContain("0374");
  await expect(page.locator("ks-app")).not.toContainText("0374");
  await demoPost(request, demo, "/demo/card");
});

test("a card lifted on the face step ends the session; one lifted while it is read is asked for again", async ({ page, request, demo }) => {
  await startSession(page);
  await demoPost(request, demo, "/demo/card", { id: CARDS.holder });
  await onStep(page, "face");
  await demoPost(request, demo, "/demo/card");
  await onStep(page, "idle");
  // The same card again, pulled away in the middle of its read.
  await startSession(page);
  await demoPost(request, demo, "/demo/card/lift-during-read", {});
  await demoPost(request, demo, "/demo/card", { id: CARDS.holder });
  await expect
    .poll(async () => {
      const view = sessionViewSchema.parse(await (await request.get(`${demo.edgeUrl}/api/session`)).json());
      return view.step === "place-card" ? view.notice : view.step;
    }, { message: "the screen asks for the card again" })
    .toBe("read-failed");
  await auditScreen(page, "journey-place-card-again");
  await finish(page, request, demo);
});

test("the reader unplugged mid-session puts the kiosk out of service until it is back", async ({ page, request, demo }) => {
  await startSession(page);
  await demoPost(request, demo, "/demo/reader", { connected: false });
  await onStep(page, "out-of-service", 30_000);
  await auditScreen(page, "journey-out-of-service-reader");
  await demoPost(request, demo, "/demo/reader", { connected: true });
  await onStep(page, "idle", 30_000);
});

