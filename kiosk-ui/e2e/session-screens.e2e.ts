/**
 * Every screen of the applicant's journey in Chromium at 1080×1920, against
 * the fake edge server pushing scripted session views over Server-Sent
 * Events: each screen in both languages passes the audit (axe-core, touch
 * targets and text sizes) and is saved under var/test/screenshots/; each
 * button posts its event; signing posts strokes; the camera preview runs
 * only on the face step; the screen follows the session again after the
 * edge server restarts.
 */
import type { SessionView } from "@kiosk/contracts";
import { expect, test, type Page } from "@playwright/test";
import { auditScreen } from "../src/testing/index.ts";
import { FakeEdge, health } from "./fake-edge.ts";
import { sampleMatters, views } from "./session-views.ts";

let edge: FakeEdge;

test.use({ viewport: { width: 1080, height: 1920 } });

test.beforeAll(async () => {
  edge = await FakeEdge.serveBuiltUi();
});

test.afterAll(() => edge.dispose());

test.beforeEach(() => {
  edge.current = health();
  edge.hung = false;
  edge.restart();
  edge.react = () => undefined;
  edge.view = views.idle();
  edge.events.length = 0;
  edge.signatures.length = 0;
});

async function show(page: Page, view: SessionView): Promise<void> {
  edge.view = view;
  if (page.url() === "about:blank") await page.goto(`${edge.url}/`);
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", view.step);
}

const SCREENS: readonly (readonly [string, () => SessionView])[] = [
  ["idle", views.idle],
  ["language", views.language],
  ["consent", views.consent],
  ["place-card", () => views.placeCard()],
  ["place-card-read-failed", () => views.placeCard("read-failed")],
  ["place-card-removed-early", () => views.placeCard("card-removed-early")],
  ["reading", views.reading],
  ["face", () => views.face()],
  ["face-challenge-turn", () => views.face({ guidance: null, challenge: { action: "turn-left", step: 1, of: 2 }, attempt: 2 })],
  ["face-retry", () => views.faceRetry("too-dark")],
  ["matters-loading", () => views.matters(null)],
  ["matters", () => views.matters(sampleMatters(true))],
  ["signature", views.signature],
  ["saving", views.saving],
  ["result-verified", () => views.result()],
  ["result-no-matter", () => views.result({ kind: "no-matter", outcome: "no-pending-matter" })],
  [
    "result-referral-attempts",
    () => views.result({ kind: "referral", outcome: "face-mismatch", referralCode: "4821736", attemptFailures: ["not-same-person", "too-dark", "liveness-not-passed"] }),
  ],
  ["result-referral-card", () => views.result({ kind: "referral", outcome: "card-rejected", referralCode: "1930562", cardRejections: ["expired"] })],
  ["result-referral-blocklist", () => views.result({ kind: "referral", outcome: "card-rejected", referralCode: "7730415", cardRejections: ["reported-lost"] })],
  ["result-declined", () => views.result({ kind: "referral", outcome: "declined", referralCode: "5508213" })],
  ["out-of-service-reader", () => views.outOfService(["reader"])],
  ["out-of-service-camera", () => views.outOfService(["camera"])],
  ["out-of-service-face-engine", () => views.outOfService(["face-engine"])],
  ["out-of-service-storage", () => views.outOfService(["storage", "camera"])],
  ["countdown-warning", () => ({ ...views.consent(), countdown: { secondsLeft: 9, warning: true } })],
];

for (const [name, view] of SCREENS) {
  test(`screen "${name}" passes the audit in both languages`, async ({ page }) => {
    await show(page, view());
    await auditScreen(page, name);
  });
}

test("an edge server that does not answer shows the out-of-service screen with the server fault", async ({ page }) => {
  await show(page, views.consent());
  await page.route("**/api/health", (route) => route.abort("connectionrefused"));
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "unreachable", { timeout: 10_000 });
  await expect(page.locator("ks-screen-out-of-service [data-fault=server]")).toBeVisible();
  await expect(page.locator("ks-screen-out-of-service h1")).toHaveText(/本机暂停服务/);
});

test("the result titles are exactly the agreed ones", async ({ page }) => {
  await show(page, views.result());
  await expect(page.locator("ks-screen-result h1")).toHaveText("核验通过");
  edge.view = { ...views.result(), language: "en" };
  await expect(page.locator("ks-screen-result h1")).toHaveText("Verified");
  edge.view = views.result({ kind: "referral", outcome: "face-mismatch", referralCode: "4821736" });
  await expect(page.locator("ks-screen-result h1")).toHaveText("请到窗口办理");
  await expect(page.locator("[data-referral-code]")).toHaveText("4821736");
  await expect(page.locator("[data-referral-qr] svg path")).toHaveCount(1);
  edge.view = { ...views.result({ kind: "referral", outcome: "face-mismatch", referralCode: "4821736" }), language: "en" };
  await expect(page.locator("ks-screen-result h1")).toHaveText("Please go to a staff window");
});

test("the step indicator ticks the phases a verified applicant passed, and none on a referral", async ({ page }) => {
  await show(page, views.result());
  await expect(page.locator("ks-step-indicator li.done")).toHaveCount(5);
  edge.view = views.result({ kind: "referral", outcome: "face-mismatch", referralCode: "4821736" });
  await expect(page.locator("ks-step-indicator li.done")).toHaveCount(0);
  await expect(page.locator("ks-step-indicator")).not.toContainText("✓");
  edge.view = views.matters();
  await expect(page.locator("ks-step-indicator li.done")).toHaveCount(3);
});

const BUTTONS: readonly (readonly [() => SessionView, string, object])[] = [
  [views.idle, "[data-event=start]", { type: "start" }],
  [views.language, "[data-event=choose-language][data-language=en]", { type: "choose-language", language: "en" }],
  [views.language, "[data-event=choose-language][data-language=zh]", { type: "choose-language", language: "zh" }],
  [views.consent, "[data-event=consent][data-agree=true]", { type: "consent", agree: true }],
  [views.consent, "[data-event=consent][data-agree=false]", { type: "consent", agree: false }],
  [views.consent, "[data-event=start-over]", { type: "start-over" }],
  [views.consent, "ks-lang-toggle [data-event=set-language]", { type: "set-language", language: "en" }],
  [() => ({ ...views.consent(), countdown: { secondsLeft: 9, warning: true } }), "[data-event=touch]", { type: "touch" }],
  [() => views.faceRetry(), "[data-event=retry-face]", { type: "retry-face" }],
  [() => views.faceRetry(), "[data-event=ask-for-staff]", { type: "ask-for-staff" }],
  [() => views.matters(), "[data-event=toggle-matter][data-matter-id=M-2026-002]", { type: "toggle-matter", matterId: "M-2026-002", confirmed: true }],
  [() => views.matters(sampleMatters(true)), "[data-event=toggle-matter][data-matter-id=M-2026-001]", { type: "toggle-matter", matterId: "M-2026-001", confirmed: false }],
  [() => views.matters(sampleMatters(true)), "[data-event=confirm-matters]", { type: "confirm-matters" }],
  [() => views.result(), "[data-event=done]", { type: "done" }],
];

test("each button posts its applicant event", async ({ page }) => {
  for (const [view, selector, event] of BUTTONS) {
    await show(page, view());
    edge.events.length = 0;
    await page.locator(selector).click();
    await expect.poll(() => edge.events, { message: selector }).toEqual([event]);
  }
});

test("a touch anywhere on the idle screen starts, once", async ({ page }) => {
  await show(page, views.idle());
  await page.locator("ks-screen-idle p.hint").click();
  await expect.poll(() => edge.events).toEqual([{ type: "start" }]);
  await page.locator("ks-screen-idle [data-event=start]").click();
  await expect.poll(() => edge.events).toEqual([{ type: "start" }, { type: "start" }]);
});

test("continue stays disabled until a matter is confirmed, and the pressed state is not shown by colour alone", async ({ page }) => {
  await show(page, views.matters());
  await expect(page.locator("[data-event=confirm-matters]")).toBeDisabled();
  edge.react = (event, view) =>
    event.type === "toggle-matter" && view.step === "matters" ? views.matters(sampleMatters(event.matterId === "M-2026-001" && event.confirmed)) : undefined;
  await page.locator("[data-matter-id=M-2026-001]").click();
  await expect(page.locator("[data-matter-id=M-2026-001]")).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator("[data-matter-id=M-2026-001]")).toContainText("✓");
  await expect(page.locator("[data-event=confirm-matters]")).toBeEnabled();
});

test("signing posts integer strokes on the canvas; clear starts over", async ({ page }) => {
  await show(page, views.signature());
  const pad = page.locator("canvas[data-signature-pad]");
  const box = await pad.boundingBox();
  if (!box) throw new Error("The signature pad is not on screen");
  const draw = async (from: number, to: number) => {
    await page.mouse.move(box.x + box.width * from, box.y + box.height * 0.5);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(box.x + box.width * (from + ((to - from) * i) / 10), box.y + box.height * (0.5 - i / 40));
    await page.mouse.up();
  };
  await expect(page.locator("[data-action=submit-signature]")).toBeDisabled();
  await draw(0.1, 0.3);
  await page.locator("[data-action=clear-signature]").click();
  await draw(0.2, 0.6);
  await page.locator("[data-action=submit-signature]").click();
  await expect.poll(() => edge.signatures.length).toBe(1);
  const signature = edge.signatures[0];
  expect(signature?.strokes).toHaveLength(1);
  expect(signature?.width).toBe(960);
  const stroke = signature?.strokes[0] ?? [];
  expect(stroke.length).toBeGreaterThanOrEqual(2 * 8);
  expect(stroke.every((value) => Number.isInteger(value) && value >= 0)).toBe(true);
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "saving");
});

test("the camera preview streams only on the face step", async ({ page }) => {
  const previewRequests = () => edge.requests.filter((path) => path === "/api/session/preview").length;
  const before = previewRequests();
  await show(page, views.consent());
  await page.waitForTimeout(300);
  expect(previewRequests()).toBe(before);

  edge.view = views.face();
  const frame = page.locator("ks-camera-preview img");
  await expect(frame).toHaveAttribute("src", /^data:image\/jpeg;base64,/);
  await expect(page.locator("ks-camera-preview [data-face-box]")).toHaveCount(1);
  await expect(page.locator("[data-guidance]")).toHaveText(/请靠近一点/);
  await expect(page.locator("[data-challenge]")).toHaveText(/请眨眼/);

  edge.view = views.faceRetry();
  await expect(page.locator("ks-camera-preview")).toHaveCount(0);
  const previews = previewRequests();
  expect(previews).toBeGreaterThan(before);
  await page.waitForTimeout(1_500);
  expect(previewRequests()).toBe(previews);
});

test("follows the session again after the edge server restarts", async ({ page }) => {
  await show(page, views.consent());
  await edge.stop();
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "unreachable", { timeout: 10_000 });
  edge.view = views.placeCard();
  edge.restart();
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "place-card", { timeout: 10_000 });
  edge.view = views.reading();
  await expect(page.locator("ks-app")).toHaveAttribute("data-step", "reading");
});

test("a prompt event shows its caption, and the next step drops it", async ({ page }) => {
  await show(page, views.consent());
  edge.sayPrompt({ key: "consent", language: "zh" });
  await expect(page.locator("ks-voice-prompt")).toContainText("请阅读以下说明");
  edge.view = views.placeCard();
  await expect(page.locator("ks-voice-prompt")).toHaveCount(0);
  edge.sayPrompt({ key: "place-card", language: "en" });
  await expect(page.locator("ks-voice-prompt")).toContainText("Please place your ID card on the reader.");
});

test("a live region announces each phase", async ({ page }) => {
  await show(page, views.consent());
  await expect(page.locator("[data-announce]")).toHaveText("第 1 步，共 6 步：同意");
  edge.view = { ...views.placeCard(), language: "en" };
  await expect(page.locator("[data-announce]")).toHaveText("Step 2 of 6: ID card");
});

test("the countdown ticks down between pushes", async ({ page }) => {
  await show(page, { ...views.consent(), countdown: { secondsLeft: 30, warning: false } });
  const banner = page.locator("ks-countdown-banner");
  await expect(banner).toContainText("30");
  await expect(banner).toContainText("28", { timeout: 4_000 });
});
