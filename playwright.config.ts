/**
 * Browser tests: Playwright drives Debian's Chromium (no browser download).
 * Specs are `*.e2e.ts` files in a workspace's `e2e/` folder, so `bun test`
 * never picks them up.
 */
import { defineConfig } from "@playwright/test";

/** Flags for a headless Chromium on a machine with no outside network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export default defineConfig({
  testDir: ".",
  testMatch: /\/e2e\/.*\.e2e\.ts$/,
  testIgnore: ["**/node_modules/**", ".tools/**", "var/**"],
  timeout: 60_000,
  workers: 2,
  fullyParallel: false,
  retries: 0,
  outputDir: "var/test/playwright",
  use: {
    browserName: "chromium",
    headless: true,
    // Playwright hides scrollbars in headless mode; a kiosk shows them, and so must the tests and screenshots.
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, ignoreDefaultArgs: ["--hide-scrollbars"] },
    trace: "retain-on-failure",
  },
});
