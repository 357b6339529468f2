/**
 * Voice prompts in Chromium, served by the edge server's real HTTP app over a
 * socket: clips decode in both languages, the prompt element plays its clip
 * and shows its caption (and still shows it when the browser blocks
 * autoplay), and a recording dropped into the recordings folder is what plays.
 */
import { captureLogger } from "@kiosk/contracts/testing";
import { createApp, GENERATED_VOICE_DIR, VOICE_MANIFEST_FILE, VoicePromptFiles, voiceManifestSchema, type VoiceManifest } from "@kiosk/edge-server";
import { chromium, expect, test, type Page } from "@playwright/test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CHROMIUM_ARGS } from "../../playwright.config.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const HARNESS = join(ROOT, "kiosk-ui", "e2e", "voice-harness.html");

// A kiosk browser plays prompts before the first touch (README, Voice prompts).
test.use({ launchOptions: { executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"] } });

let dir: string;
let recordingsDir: string;
let server: ReturnType<typeof Bun.serve>;
let manifest: VoiceManifest;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "voice-e2e-"));
  recordingsDir = join(dir, "recordings");
  const pageDir = join(dir, "page");
  const build = await Bun.build({ entrypoints: [HARNESS], outdir: pageDir, target: "browser", minify: true });
  if (!build.success) throw new Error(build.logs.map((log) => log.message).join("; "));
  manifest = voiceManifestSchema.parse(JSON.parse(readFileSync(join(GENERATED_VOICE_DIR, VOICE_MANIFEST_FILE), "utf8")));
  const app = createApp({
    health: () => {
      throw new Error("health is not used by these tests");
    },
    assets: {
      async get(path) {
        const file = Bun.file(join(pageDir, path));
        return (await file.exists()) ? { body: await file.bytes(), contentType: file.type } : undefined;
      },
    },
    voice: new VoicePromptFiles({ recordingsDir }),
    log: captureLogger().log,
  });
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: app.fetch });
});

test.afterAll(async () => {
  await server.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const pageUrl = () => `http://127.0.0.1:${server.port}/voice-harness.html`;

/** Fetches `path` in the page and decodes it with Web Audio; also reads its length through an audio element. */
function decodeInPage(page: Page, path: string) {
  return page.evaluate(async (url) => {
    // The page's own audio APIs (this file is type-checked without the DOM library).
    type PageAudio = {
      AudioContext: new () => { decodeAudioData(data: ArrayBuffer): Promise<{ duration: number }>; close(): Promise<void> };
      Audio: new (url: string) => { duration: number; addEventListener(type: string, listener: () => void, options: { once: boolean }): void };
    };
    const { AudioContext, Audio } = globalThis as unknown as PageAudio;
    const res = await fetch(url);
    const context = new AudioContext();
    const decoded = await context.decodeAudioData(await res.arrayBuffer());
    await context.close();
    const audio = new Audio(url);
    const elementDuration = await new Promise<number>((resolve, reject) => {
      audio.addEventListener("loadedmetadata", () => resolve(audio.duration), { once: true });
      audio.addEventListener("error", () => reject(new Error(`audio element cannot load ${url}`)), { once: true });
    });
    return { status: res.status, type: res.headers.get("content-type"), origin: res.headers.get("x-voice-origin"), duration: decoded.duration, elementDuration };
  }, path);
}

function manifestSeconds(id: string): number {
  const entry = manifest.clips[id];
  if (!entry) throw new Error(`No clip "${id}" in the manifest`);
  return entry.durationMs / 1000;
}

test("generated clips in each language decode in Chromium to their full length", async ({ page }) => {
  await page.goto(pageUrl());
  for (const lang of ["zh", "en"] as const) {
    for (const key of ["consent", "attempt-too-dark", "card-reported-lost"]) {
      const clip = await decodeInPage(page, `/voice/${lang}/${key}`);
      expect(clip).toMatchObject({ status: 200, type: "audio/ogg", origin: "generated" });
      expect(clip.duration).toBeGreaterThan(0);
      expect(Math.abs(clip.duration - manifestSeconds(`${lang}/${key}`))).toBeLessThan(0.1);
      expect(Math.abs(clip.elementDuration - clip.duration)).toBeLessThan(0.1);
    }
  }
});

test("the prompt element plays its clip and shows its caption, and a language or step change replaces both", async ({ page }) => {
  await page.goto(pageUrl());
  const prompt = page.locator("ks-voice-prompt");
  await expect(prompt.getByText("请眨眼。")).toBeVisible();
  await expect(prompt.locator("p")).toHaveAttribute("lang", "zh-CN");
  // The blink clip lasts about a second; "played" means Chromium played it to its end.
  await expect(prompt).toHaveAttribute("state", "played", { timeout: 10_000 });

  // Read right after the element's update, before the new clip can have ended.
  const afterSwitch = await prompt.evaluate(async (el) => {
    el.setAttribute("locale", "en");
    await (el as unknown as { updateComplete: Promise<boolean> }).updateComplete;
    return el.getAttribute("state");
  });
  expect(afterSwitch).toBe("playing");
  await expect(prompt.getByText("Please blink.")).toBeVisible();
  await expect(prompt).toHaveAttribute("state", "played", { timeout: 10_000 });

  await prompt.evaluate((el) => el.setAttribute("prompt", "guidance-too-close"));
  await expect(prompt.getByText("Please move back a little.")).toBeVisible();
  await expect(prompt.getByText("Please blink.")).toHaveCount(0);

  // Text that is no prompt key silences the element instead of breaking it.
  await prompt.evaluate((el) => el.setAttribute("prompt", "no-such-prompt"));
  await expect(prompt).toHaveAttribute("state", "idle");
  await expect(prompt.locator("p")).toHaveCount(0);
});

test("when the browser blocks autoplay the caption still shows", async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: [...CHROMIUM_ARGS, "--autoplay-policy=user-gesture-required"] });
  try {
    const page = await browser.newPage();
    await page.goto(pageUrl());
    const prompt = page.locator("ks-voice-prompt");
    await expect(prompt).toHaveAttribute("state", "blocked");
    await expect(prompt.getByText("请眨眼。")).toBeVisible();
  } finally {
    await browser.close();
  }
});

test("a recording dropped into the recordings folder is what Chromium plays, and removing it brings the generated clip back", async ({ page }) => {
  await page.goto(pageUrl());
  mkdirSync(join(recordingsDir, "zh"), { recursive: true });
  // Any Ogg Opus file stands in for a recording: here the longer English "result-verified" clip.
  copyFileSync(join(GENERATED_VOICE_DIR, "en", "result-verified.ogg"), join(recordingsDir, "zh", "challenge-blink.ogg"));
  const recorded = await decodeInPage(page, "/voice/zh/challenge-blink");
  expect(recorded.origin).toBe("recording");
  expect(Math.abs(recorded.duration - manifestSeconds("en/result-verified"))).toBeLessThan(0.1);

  rmSync(join(recordingsDir, "zh"), { recursive: true });
  const generated = await decodeInPage(page, "/voice/zh/challenge-blink");
  expect(generated.origin).toBe("generated");
  expect(Math.abs(generated.duration - manifestSeconds("zh/challenge-blink"))).toBeLessThan(0.1);
});
