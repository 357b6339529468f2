/**
 * Builds the kiosk UI into a folder the edge server serves: `index.html`
 * plus one bundled, minified script, and the demo page (`demo/index.html`,
 * served at `/demo/` in demo mode only) with its own script.
 */
import { readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";

/** Most bytes the UI's JavaScript may take gzipped (issue 10: 150 KB). */
export const UI_SCRIPT_GZIP_BUDGET_BYTES = 150 * 1024;

/** The files written, relative to `outDir`. */
export interface UiBuild {
  readonly files: readonly string[];
}

/**
 * Bundles `src/index.html`, `src/demo/index.html` and what they load into
 * `outDir`, replacing the folder's previous contents.
 *
 * @throws {Error} listing the bundler's messages when the build fails.
 */
export async function buildUi(outDir: string): Promise<UiBuild> {
  rmSync(outDir, { recursive: true, force: true });
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, "src", "index.html"), join(import.meta.dir, "src", "demo", "index.html")],
    outdir: outDir,
    target: "browser",
    minify: true,
    define: { "process.env.NODE_ENV": '"production"' },
  });
  if (!result.success) {
    throw new Error(`Cannot build the kiosk UI: ${result.logs.map((log) => log.message).join("; ")}`);
  }
  return { files: result.outputs.map((output) => output.path.slice(outDir.length + 1)) };
}

/**
 * Bytes of the JavaScript that the built page `page` (e.g. `index.html`, the
 * kiosk screen) loads, once gzipped, all together.
 */
export function pageScriptGzipBytes(outDir: string, page: string): number {
  const pagePath = join(outDir, page);
  const scripts = [...readFileSync(pagePath, "utf8").matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)].map((m) => m[1] as string);
  return scripts.reduce((sum, src) => sum + gzipSync(readFileSync(resolve(dirname(pagePath), src))).length, 0);
}
