import type { Page } from "@playwright/test";
import axe from "axe-core";
import type { PageGlobals } from "./page-globals.ts";

/** One axe-core rule a screen breaks, with the elements that break it. */
export interface A11yViolation {
  /** The axe rule, e.g. `color-contrast`. */
  readonly id: string;
  readonly impact: "serious" | "critical";
  readonly help: string;
  /** CSS selectors of the offending elements (shadow roots as nested arrays). */
  readonly targets: readonly string[];
}

/**
 * Runs axe-core (every rule but the experimental ones, shadow roots included)
 * on the whole page as it is now and returns its serious and critical
 * violations. axe-core comes from npm and is evaluated into the page on first
 * use, so nothing is downloaded and the page's Content-Security-Policy does
 * not get in the way.
 */
export async function a11yViolations(page: Page): Promise<A11yViolation[]> {
  const loaded = await page.evaluate(() => (globalThis as unknown as PageGlobals).axe !== undefined);
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const engine = (globalThis as unknown as PageGlobals).axe;
    if (!engine) throw new Error("axe-core is not loaded in the page");
    const result = await engine.run({ resultTypes: ["violations"] });
    return result.violations.flatMap((violation) =>
      violation.impact === "serious" || violation.impact === "critical"
        ? [{ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => JSON.stringify(node.target)) }]
        : [],
    );
  });
}
