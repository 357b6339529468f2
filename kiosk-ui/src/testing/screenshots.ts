import { test, type Page } from "@playwright/test";
import type { PageGlobals } from "./page-globals.ts";

/** Where screenshots go, relative to the Playwright root (the repository). */
export const SCREENSHOT_DIR = "var/test/screenshots";

/**
 * Saves the page as `var/test/screenshots/<screen>.<lang>.png` once its fonts
 * have loaded, and returns the file's path. `lang` is the page's language
 * (`zh`, `en`).
 */
export async function saveScreenshot(page: Page, screen: string, lang: string): Promise<string> {
  const path = `${test.info().config.rootDir}/${SCREENSHOT_DIR}/${screen}.${lang}.png`;
  await page.evaluate(() => (globalThis as unknown as PageGlobals).document.fonts.ready.then(() => undefined));
  await page.screenshot({ path, animations: "disabled", caret: "hide" });
  return path;
}
