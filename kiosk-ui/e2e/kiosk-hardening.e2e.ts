/**
 * Kiosk hardening in Chromium at the kiosk's 1080×1920 portrait size: what
 * the page itself enforces (README "Kiosk browser") — no context menu, no
 * text selection, no zoom, no navigation away, no scrollbars — and that it
 * recovers by itself when the edge server restarts, reloading once when the
 * server comes back with a new UI version.
 */
import { expect, test, type Page } from "@playwright/test";
import { FakeEdge, health } from "./fake-edge.ts";
import { views } from "./session-views.ts";

const INSERT_CARD_ZH = "请将身份证放在读卡区";
const INSERT_CARD_EN = "Please place your ID card on the reader";

let edge: FakeEdge;

test.use({ viewport: { width: 1080, height: 1920 } });

test.beforeAll(async () => {
  edge = await FakeEdge.serveBuiltUi();
});

test.afterAll(() => edge.dispose());

test.beforeEach(async ({ page }) => {
  edge.current = health();
  edge.view = views.placeCard();
  edge.hung = false;
  // A restart test that failed half-way leaves the server stopped.
  edge.restart();
  await page.goto(`${edge.url}/`);
  await expect(page.getByRole("heading", { name: INSERT_CARD_ZH })).toBeVisible();
});

/**
 * Records, for each event of `types` that reaches the document, whether the
 * page had cancelled it by then. The kiosk's own listeners run earlier
 * (capture phase on the window).
 */
async function recordCancels(page: Page, types: readonly string[]): Promise<void> {
  await page.evaluate((names) => {
    const log: string[] = [];
    Object.assign(window, { cancelLog: log });
    for (const type of names) {
      document.addEventListener(type, (event) => {
        const key = event instanceof KeyboardEvent ? `${type} ${event.key}` : type;
        log.push(`${key}: ${event.defaultPrevented ? "cancelled" : "allowed"}`);
      });
    }
  }, types);
}

function cancelLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { cancelLog: string[] }).cancelLog);
}

test("no context menu, no text selection, no dragged or dropped files", async ({ page }) => {
  await recordCancels(page, ["contextmenu", "dragover", "drop"]);
  const heading = page.getByRole("heading", { name: INSERT_CARD_ZH });

  await heading.click({ button: "right" });
  expect(await cancelLog(page)).toEqual(["contextmenu: cancelled"]);

  await expect(page.locator("html")).toHaveCSS("user-select", "none");
  await expect(heading).toHaveCSS("user-select", "none");
  await heading.click({ clickCount: 3 });
  await page.keyboard.press("Control+a");
  expect(await page.evaluate(() => getSelection()?.toString() ?? "")).toBe("");

  // A file dropped on a page opens in its place unless the page cancels the drop.
  await page.evaluate(() => {
    const files = new DataTransfer();
    files.items.add(new File(["%PDF-1.7"], "form.pdf", { type: "application/pdf" }));
    for (const type of ["dragover", "drop"]) {
      document.querySelector("ks-app")?.dispatchEvent(new DragEvent(type, { dataTransfer: files, bubbles: true, cancelable: true, composed: true }));
    }
  });
  expect(await cancelLog(page)).toEqual(["contextmenu: cancelled", "dragover: cancelled", "drop: cancelled"]);
});

test("no pinch or double-tap zoom", async ({ page }) => {
  const viewport = await page.locator('meta[name="viewport"]').getAttribute("content");
  expect(viewport).toContain("user-scalable=no");
  expect(viewport).toContain("maximum-scale=1");
  // touch-action applies along the ancestor chain: pan only, so no pinch and no double-tap zoom anywhere.
  await expect(page.locator("html")).toHaveCSS("touch-action", "pan-x pan-y");

  // A touchpad pinch reaches the page as Ctrl+wheel.
  await recordCancels(page, ["wheel"]);
  await page.mouse.move(540, 960);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -200);
  await page.keyboard.up("Control");
  await expect.poll(() => cancelLog(page)).toEqual(["wheel: cancelled"]);
});

test("links, forms, Back and navigation shortcuts stay on the page", async ({ page }) => {
  const start = page.url();
  await page.evaluate(() => {
    const away = document.createElement("a");
    away.href = "https://example.invalid/";
    away.textContent = "away";
    const popup = document.createElement("a");
    popup.href = "https://example.invalid/popup";
    popup.target = "_blank";
    popup.textContent = "popup";
    const form = document.createElement("form");
    form.action = "https://example.invalid/form";
    form.innerHTML = "<button>send</button>";
    document.body.prepend(away, popup, form);
  });
  let popups = 0;
  page.context().on("page", () => popups++);
  await page.getByRole("link", { name: "away" }).click();
  await page.getByRole("link", { name: "popup" }).click();
  await page.getByRole("link", { name: "popup" }).click({ button: "middle" });
  await page.getByRole("button", { name: "send" }).click();

  await page.goBack();
  await page.goBack();

  await recordCancels(page, ["keydown"]);
  for (const key of ["Alt+ArrowLeft", "Alt+ArrowRight", "Backspace", "F5", "Control+r", "Control+Equal", "Control+p", "F12"]) {
    await page.keyboard.press(key);
  }
  expect(await cancelLog(page)).toEqual([
    "keydown Alt: cancelled",
    "keydown ArrowLeft: cancelled",
    "keydown Alt: cancelled",
    "keydown ArrowRight: cancelled",
    "keydown Backspace: cancelled",
    "keydown F5: cancelled",
    "keydown Control: cancelled",
    "keydown r: cancelled",
    "keydown Control: cancelled",
    "keydown =: cancelled",
    "keydown Control: cancelled",
    "keydown p: cancelled",
    "keydown F12: cancelled",
  ]);

  expect(page.url()).toBe(start);
  expect(popups).toBe(0);
  await expect(page.getByRole("heading", { name: INSERT_CARD_ZH })).toBeVisible();
});

/** Elements, across shadow roots, that show a scrollbar or overflow the window. */
function scrollbars(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > innerWidth || root.scrollHeight > innerHeight) found.push(`the page is ${root.scrollWidth}×${root.scrollHeight} px`);
    const visit = (scope: Document | ShadowRoot) => {
      for (const element of scope.querySelectorAll("*")) {
        if (element.shadowRoot) visit(element.shadowRoot);
        if (!(element instanceof HTMLElement)) continue;
        const style = getComputedStyle(element);
        // Only a box that can scroll has a scrollbar; it takes the room between the border and the content.
        if (![style.overflowX, style.overflowY].some((overflow) => overflow === "auto" || overflow === "scroll")) continue;
        const bordersX = Number.parseFloat(style.borderLeftWidth) + Number.parseFloat(style.borderRightWidth);
        const bordersY = Number.parseFloat(style.borderTopWidth) + Number.parseFloat(style.borderBottomWidth);
        if (element.offsetWidth - element.clientWidth - bordersX > 1 || element.offsetHeight - element.clientHeight - bordersY > 1) {
          found.push(`<${element.localName}> shows a scrollbar`);
        }
      }
    };
    visit(document);
    return found;
  });
}

test("no scrollbars at 1080×1920, even when a screen is taller than the display", async ({ page }) => {
  expect(await scrollbars(page)).toEqual([]);
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.getByRole("heading", { name: INSERT_CARD_EN })).toBeVisible();
  expect(await scrollbars(page)).toEqual([]);

  // A long screen (a list of matters, say) still scrolls by touch, without a scrollbar.
  const scrollable = await page.evaluate(() => {
    const main = document.querySelector("ks-app")?.shadowRoot?.querySelector("main");
    const tall = document.createElement("div");
    tall.style.height = "4000px";
    main?.append(tall);
    return main ? main.scrollHeight > main.clientHeight : false;
  });
  expect(scrollable).toBe(true);
  expect(await scrollbars(page)).toEqual([]);
});

test("comes back to the current screen by itself when the edge server restarts, without reloading", async ({ page }) => {
  let loads = 0;
  page.on("load", () => loads++);
  await page.getByRole("button", { name: "Switch to English" }).click();
  await expect(page.getByRole("heading", { name: INSERT_CARD_EN })).toBeVisible();

  await edge.stop();
  await expect(page.getByRole("heading", { name: "This kiosk is out of service" })).toBeVisible({ timeout: 10_000 });
  edge.restart();
  // Still in English: the page came back without a reload.
  await expect(page.getByRole("heading", { name: INSERT_CARD_EN })).toBeVisible({ timeout: 10_000 });
  const polls = edge.requests.filter((path) => path === "/api/health").length;
  await expect.poll(() => edge.requests.filter((path) => path === "/api/health").length, { timeout: 10_000 }).toBeGreaterThanOrEqual(polls + 2);
  expect(loads).toBe(0);
});

test("reloads once when the edge server comes back with a new UI version, and never loops", async ({ page }) => {
  let loads = 0;
  page.on("load", () => loads++);
  await edge.stop();
  await expect(page.getByRole("heading", { name: "本机暂停服务" })).toBeVisible({ timeout: 10_000 });
  // The restarted server reports a version this UI was not built with (as after an update whose UI did not change).
  edge.current = health({ version: "99.0.0-next" });
  edge.restart();
  await expect.poll(() => loads, { timeout: 10_000 }).toBe(1);
  await expect(page.getByRole("heading", { name: INSERT_CARD_ZH })).toBeVisible();
  // Several more polls report the same version: the page stays.
  const polls = edge.requests.filter((path) => path === "/api/health").length;
  await expect.poll(() => edge.requests.filter((path) => path === "/api/health").length, { timeout: 15_000 }).toBeGreaterThanOrEqual(polls + 3);
  expect(loads).toBe(1);
  await expect(page.getByRole("heading", { name: INSERT_CARD_ZH })).toBeVisible();
});
