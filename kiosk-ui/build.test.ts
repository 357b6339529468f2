import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UI_SCRIPT_GZIP_BUDGET_BYTES, buildUi, pageScriptGzipBytes } from "./build.ts";

const outDir = mkdtempSync(join(tmpdir(), "kiosk-ui-build-"));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test("the kiosk screen's JavaScript stays within 150 KB gzipped (the demo page's is not shipped to kiosks' screens)", async () => {
  const build = await buildUi(outDir);
  expect(build.files).toContain("index.html");
  const bytes = pageScriptGzipBytes(outDir, "index.html");
  // A build without its script would pass the budget for the wrong reason.
  expect(bytes).toBeGreaterThan(10 * 1024);
  expect(bytes).toBeLessThanOrEqual(UI_SCRIPT_GZIP_BUDGET_BYTES);
}, 30_000);
