/**
 * `./kiosk bench journey [--runs N]`: times the applicant's journey on the
 * simulated devices, in Debian's Chromium against `./kiosk demo` (the reader
 * simulator paced at 115200 baud on a pty, the replayed camera, the real
 * face engine), and prints ONE JSON object:
 *
 * - `cardToFaceMs`: the card placed (`POST /demo/card`) to the face step on
 *   screen;
 * - `faceToVerdictMs`: the holder stepping in front of the camera (`POST
 *   /demo/camera`) to the verdict on screen, with passive liveness;
 * - `challengeMs`: the same with the active challenge (the replayed holder
 *   performs each action as soon as it is asked);
 * - `journeyMs`: the attract screen's touch to the result screen, the
 *   applicant answering every screen at once (everything but their own
 *   reading and tapping);
 * - `previewFps` and `previewDelayMs`: the live camera preview as the
 *   browser receives it on the face step (frames per second; median and
 *   largest time from a frame's capture to its arrival);
 * - `firstScreenMs`: a fresh page's load to the attract screen on screen;
 * - `rssMB`: the edge server's largest resident set during the journeys;
 * - `uiKBGzip`: the kiosk page's JavaScript, gzipped.
 *
 * Times are medians over `--runs` journeys (default 5), with the largest in
 * `…Max`. Exit 0 after a run, 1 when it could not run, 2 for bad usage.
 */
import { buildUi, pageScriptGzipBytes } from "@kiosk/ui/build";
import { chromium, type Browser, type Page } from "@playwright/test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { CHROMIUM_ARGS } from "../../../playwright.config.ts";
import { wholeNumber } from "../flags.ts";
import { EXIT, type CliIo } from "../io.ts";
import { startDemo, type Demo } from "../testing/demo-process.ts";
import { median, round } from "./face-support.ts";

/** The figures of issue 10. */
const TARGETS = { cardToFaceMs: 1_000, faceToVerdictMs: 1_500, previewFps: 10, previewDelayMs: 200, firstScreenMs: 1_000, rssMB: 600, uiKBGzip: 150 } as const;
const HOLDER_CARD = "resident-zhou-mingyuan";
const HOLDER_MATTER = "DEMO-2026-0001";
const STEP_TIMEOUT_MS = 30_000;
const RSS_SAMPLE_MS = 100;
/** How long the preview is watched on each face step. */
const PREVIEW_WATCH_MS = 2_000;

/** Resident set of process `pid` in MB, or 0 when it is gone. */
function rssMB(pid: number): number {
  try {
    const kB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    return kB / 1024;
  } catch {
    return 0;
  }
}

/** The edge server's pid among the demo's processes. */
function edgePid(demo: Demo): number {
  const pid = demo.group.running().find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0").includes("edge");
    } catch {
      return false;
    }
  });
  if (pid === undefined) throw new Error("Cannot find the demo's edge server process");
  return pid;
}

async function post(demo: Demo, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${demo.edgeUrl}${path}`, body === undefined ? { method: "DELETE" } : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 204) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
}

async function onStep(page: Page, step: string): Promise<void> {
  await page.locator(`ks-app[data-step="${step}"]`).waitFor({ timeout: STEP_TIMEOUT_MS });
}

/** Times `action` until `step` shows, in ms. */
async function timed(page: Page, action: () => Promise<void>, step: string): Promise<number> {
  const start = performance.now();
  await action();
  await onStep(page, step);
  return performance.now() - start;
}

/** Touches through the attract, language and consent screens to "place your card". */
async function toPlaceCard(page: Page): Promise<void> {
  await page.locator('[data-event="start"]').first().click();
  await page.locator('[data-event="choose-language"][data-language="zh"]').click();
  await page.locator('[data-event="consent"][data-agree="true"]').click();
  await onStep(page, "place-card");
}

/** Back to the attract screen with the card off the reader. */
async function reset(page: Page, demo: Demo): Promise<void> {
  await post(demo, "/demo/card");
  await page.goto(`${demo.edgeUrl}/`);
  const done = page.locator('[data-event="done"]');
  if (await done.isVisible()) await done.click();
  await onStep(page, "idle");
}

/** One demo with `liveness` mode; `measure` runs with a page on its kiosk screen, the edge server's RSS sampled meanwhile. */
async function withDemo<T>(
  browser: Browser,
  liveness: string,
  measure: (page: Page, demo: Demo) => Promise<T>,
): Promise<{ value: T; rssMB: number; firstScreenMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "kiosk-bench-journey-"));
  let demo: Demo | undefined;
  let peak = 0;
  const sampler = setInterval(() => {
    if (demo) peak = Math.max(peak, rssMB(edgePid(demo)));
  }, RSS_SAMPLE_MS);
  try {
    const started = await startDemo(join(dir, "data"), process.env["PATH"] ?? "", { KIOSK_EDGE_FACE_LIVENESS_MODE: liveness });
    demo = started;
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    const firstScreenMs = await timed(page, async () => void (await page.goto(`${started.edgeUrl}/`)), "idle");
    const value = await measure(page, started);
    return { value, rssMB: peak, firstScreenMs };
  } finally {
    clearInterval(sampler);
    await demo?.group.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What {@linkcode watchPreview} uses of a browser's EventSource. */
interface BrowserEventSource {
  addEventListener(type: string, listener: (event: { readonly data: string }) => void): void;
  close(): void;
}

/**
 * Watches the preview stream from inside the page for `ms`: the frames that
 * arrive and, for each, the time from its capture (`atMs`, the kiosk's
 * clock, the same machine's) to its arrival.
 */
async function watchPreview(page: Page, ms: number): Promise<{ frames: number; delaysMs: number[] }> {
  return page.evaluate(async (watchMs) => {
    // The page's own EventSource (this file is typed for Bun, not for the browser).
    const PageEventSource = (globalThis as unknown as { EventSource: new (url: string) => BrowserEventSource }).EventSource;
    const delaysMs: number[] = [];
    const source = new PageEventSource("/api/session/preview");
    source.addEventListener("frame", (event) => delaysMs.push(Date.now() - (JSON.parse(event.data) as { atMs: number }).atMs));
    await new Promise((resolve) => setTimeout(resolve, watchMs));
    source.close();
    return { frames: delaysMs.length, delaysMs };
  }, ms);
}

/** Card to face, the preview on the face step, then face to verdict, `runs` times. */
async function cardAndFace(page: Page, demo: Demo, runs: number): Promise<{ cardToFace: number[]; faceToVerdict: number[]; previewFps: number[]; previewDelays: number[] }> {
  const cardToFace: number[] = [];
  const faceToVerdict: number[] = [];
  const previewFps: number[] = [];
  const previewDelays: number[] = [];
  for (let run = 0; run < runs; run++) {
    await post(demo, "/demo/camera", { show: "nobody" });
    await toPlaceCard(page);
    cardToFace.push(await timed(page, () => post(demo, "/demo/card", { id: HOLDER_CARD }), "face"));
    const preview = await watchPreview(page, PREVIEW_WATCH_MS);
    previewFps.push(preview.frames / (PREVIEW_WATCH_MS / 1000));
    previewDelays.push(...preview.delaysMs);
    faceToVerdict.push(await timed(page, () => post(demo, "/demo/camera", { show: "holder" }), "matters"));
    await reset(page, demo);
  }
  return { cardToFace, faceToVerdict, previewFps, previewDelays };
}

/** The challenge alone, then whole journeys with the applicant answering at once, `runs` times each. */
async function challengeAndJourney(page: Page, demo: Demo, runs: number): Promise<{ challenge: number[]; journey: number[] }> {
  const challenge: number[] = [];
  const journey: number[] = [];
  for (let run = 0; run < runs; run++) {
    await post(demo, "/demo/camera", { show: "nobody" });
    await toPlaceCard(page);
    await post(demo, "/demo/card", { id: HOLDER_CARD });
    await onStep(page, "face");
    challenge.push(await timed(page, () => post(demo, "/demo/camera", { show: "holder" }), "matters"));
    await reset(page, demo);
  }
  for (let run = 0; run < runs; run++) {
    await post(demo, "/demo/camera", { show: "holder" });
    const start = performance.now();
    await toPlaceCard(page);
    await post(demo, "/demo/card", { id: HOLDER_CARD });
    await onStep(page, "matters");
    await page.locator(`[data-event="toggle-matter"][data-matter-id="${HOLDER_MATTER}"]`).click();
    await page.locator('[data-event="confirm-matters"]').click();
    await onStep(page, "signature");
    const pad = await page.locator("canvas[data-signature-pad]").boundingBox();
    if (!pad) throw new Error("The signature pad is not on screen");
    await page.mouse.move(pad.x + 40, pad.y + pad.height / 2);
    await page.mouse.down();
    await page.mouse.move(pad.x + pad.width / 2, pad.y + pad.height / 3, { steps: 8 });
    await page.mouse.up();
    await page.locator('[data-action="submit-signature"]').click();
    await onStep(page, "result");
    journey.push(performance.now() - start);
    await reset(page, demo);
  }
  return { challenge, journey };
}

/** The median of `values` as `name`, and the largest as `nameMax`, in whole ms. */
function stats<N extends string>(name: N, values: readonly number[]): Record<N | `${N}Max`, number> {
  return { [name]: round(median(values), 0), [`${name}Max`]: round(Math.max(...values), 0) } as Record<N | `${N}Max`, number>;
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let runs: number;
  try {
    const { values } = parseArgs({ args, options: { runs: { type: "string" } } });
    runs = wholeNumber(values.runs, "--runs") ?? 5;
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const uiDir = mkdtempSync(join(tmpdir(), "kiosk-bench-ui-"));
  let browser: Browser | undefined;
  try {
    await buildUi(uiDir);
    const uiKBGzip = round(pageScriptGzipBytes(uiDir, "index.html") / 1024, 1);
    browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, headless: true });
    const passive = await withDemo(browser, "passive", (page, demo) => cardAndFace(page, demo, runs));
    const active = await withDemo(browser, "both", (page, demo) => challengeAndJourney(page, demo, runs));
    const result = {
      runs,
      baud: 115_200,
      ...stats("cardToFaceMs", passive.value.cardToFace),
      ...stats("faceToVerdictMs", passive.value.faceToVerdict),
      previewFps: round(median(passive.value.previewFps), 1),
      ...stats("previewDelayMs", passive.value.previewDelays),
      ...stats("challengeMs", active.value.challenge),
      ...stats("journeyMs", active.value.journey),
      firstScreenMs: round(Math.max(passive.firstScreenMs, active.firstScreenMs), 0),
      rssMB: round(Math.max(passive.rssMB, active.rssMB), 0),
      uiKBGzip,
    };
    const targets = {
      cardToFaceMs: { target: `<= ${TARGETS.cardToFaceMs}`, met: result.cardToFaceMs <= TARGETS.cardToFaceMs },
      faceToVerdictMs: { target: `<= ${TARGETS.faceToVerdictMs}`, met: result.faceToVerdictMs <= TARGETS.faceToVerdictMs },
      previewFps: { target: `>= ${TARGETS.previewFps}`, met: result.previewFps >= TARGETS.previewFps },
      previewDelayMsMax: { target: `< ${TARGETS.previewDelayMs}`, met: result.previewDelayMsMax < TARGETS.previewDelayMs },
      firstScreenMs: { target: `<= ${TARGETS.firstScreenMs}`, met: result.firstScreenMs <= TARGETS.firstScreenMs },
      rssMB: { target: `<= ${TARGETS.rssMB}`, met: result.rssMB <= TARGETS.rssMB },
      uiKBGzip: { target: `<= ${TARGETS.uiKBGzip}`, met: result.uiKBGzip <= TARGETS.uiKBGzip },
    };
    io.out(`${JSON.stringify({ ...result, targets })}\n`);
    return EXIT.ok;
  } catch (error) {
    io.err(`The journey benchmark could not run: ${(error as Error).message}\n`);
    return EXIT.failure;
  } finally {
    await browser?.close();
    rmSync(uiDir, { recursive: true, force: true });
  }
}
