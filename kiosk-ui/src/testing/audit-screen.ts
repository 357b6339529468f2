import { expect, test, type Page } from "@playwright/test";
import { a11yViolations } from "./a11y-violations.ts";
import { saveScreenshot } from "./screenshots.ts";
import { sizeProblems } from "./size-problems.ts";

/** The page language as a short code: `zh-CN` is `zh`. */
async function pageLang(page: Page): Promise<string> {
  return ((await page.locator("html").getAttribute("lang")) ?? "").split("-")[0] ?? "";
}

/**
 * Checks the screen the page shows now, in Chinese and in English: no
 * serious or critical axe-core violation, touch targets and text at the
 * age-friendly minimums ({@linkcode sizeProblems}), and a screenshot of each
 * language under `var/test/screenshots/`. The language button switches
 * between the two; the page ends in the language it started in.
 *
 * @param screen the screenshot's file name, e.g. `consent` or `out-of-service-reader`
 */
export async function auditScreen(page: Page, screen: string): Promise<void> {
  for (let round = 0; round < 2; round++) {
    const lang = await pageLang(page);
    await test.step(`audit "${screen}" in "${lang}"`, async () => {
      expect(await a11yViolations(page), `axe-core on "${screen}" in "${lang}"`).toEqual([]);
      expect(await sizeProblems(page), `sizes on "${screen}" in "${lang}"`).toEqual([]);
      await saveScreenshot(page, screen, lang);
    });
    await page.locator("ks-lang-toggle button").click();
    await expect.poll(() => pageLang(page)).not.toBe(lang);
  }
}
