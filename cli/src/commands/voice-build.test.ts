import { describe, expect, test } from "bun:test";
import { sha256Hex, voiceCaption } from "@kiosk/contracts";
import { voiceManifestSchema } from "@kiosk/edge-server";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "../testing/capture-io.ts";
import { run } from "./voice-build.ts";

describe("./kiosk voice build", () => {
  test("--key makes those prompts in both languages and keeps the manifest's other clips, in catalogue order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "voice-build-"));
    try {
      const first = captureIo({ cwd: dir, env: { PATH: process.env["PATH"] } });
      expect(await run(["--out", "clips", "--key", "result-verified"], first.io)).toBe(0);
      expect(first.err).toEqual([]);
      const summary = JSON.parse(first.out[0] ?? "");
      expect(summary).toMatchObject({ out: join(dir, "clips"), clips: 2 });
      expect(summary.bytes).toBeGreaterThan(0);

      const second = captureIo({ cwd: dir, env: { PATH: process.env["PATH"] } });
      expect(await run(["--out", "clips", "--key", "consent"], second.io)).toBe(0);
      const manifest = voiceManifestSchema.parse(JSON.parse(await readFile(join(dir, "clips", "manifest.json"), "utf8")));
      expect(Object.keys(manifest.clips)).toEqual(["zh/consent", "en/consent", "zh/result-verified", "en/result-verified"]);
      expect(manifest.generator.voices).toEqual({ zh: "cmn", en: "en-us" });
      expect((await readdir(join(dir, "clips", "zh"))).sort()).toEqual(["consent.ogg", "result-verified.ogg"]);
      for (const [id, entry] of Object.entries(manifest.clips)) {
        const [lang, key] = id.split("/") as ["zh" | "en", "consent" | "result-verified"];
        expect(entry.caption).toBe(voiceCaption(key, lang));
        const bytes = new Uint8Array(await readFile(join(dir, "clips", entry.file)));
        expect(entry.bytes).toBe(bytes.length);
        expect(entry.sha256).toBe(await sha256Hex(bytes));
        expect(entry.durationMs).toBeGreaterThan(500);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("an unknown key exits 2 and makes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "voice-build-"));
    try {
      const { io, out, err } = captureIo({ cwd: dir, env: { PATH: process.env["PATH"] } });
      expect(await run(["--out", "clips", "--key", "welcome"], io)).toBe(2);
      expect(out).toEqual([]);
      expect(err.join("")).toBe('Unknown voice prompt "welcome": ./kiosk voice list shows the keys\n');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("without espeak-ng it exits 1 with the apt-get line and makes nothing", async () => {
    const dir = await mkdtemp(join(tmpdir(), "voice-build-"));
    try {
      const { io, out, err } = captureIo({ cwd: dir, env: { PATH: "/nonexistent" } });
      expect(await run(["--out", "clips"], io)).toBe(1);
      expect(out).toEqual([]);
      expect(err.join("")).toContain("apt-get install --no-install-recommends espeak-ng ffmpeg");
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("when synthesis fails the output folder is left as it was", async () => {
    const dir = await mkdtemp(join(tmpdir(), "voice-build-"));
    try {
      // A real ffmpeg beside an espeak-ng that reports a version and then fails.
      const bin = join(dir, "bin");
      await mkdir(bin);
      await writeFile(join(bin, "espeak-ng"), '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "eSpeak NG text-to-speech: 9.99"; exit 0; fi\necho "no voice data" >&2\nexit 3\n');
      await chmod(join(bin, "espeak-ng"), 0o755);
      await symlink(Bun.which("ffmpeg") ?? "ffmpeg", join(bin, "ffmpeg"));
      await mkdir(join(dir, "clips", "zh"), { recursive: true });
      await writeFile(join(dir, "clips", "zh", "consent.ogg"), "previous clip");

      const { io, out, err } = captureIo({ cwd: dir, env: { PATH: bin } });
      expect(await run(["--out", "clips"], io)).toBe(1);
      expect(out).toEqual([]);
      expect(err.join("")).toBe(`Building the voice prompts failed: "${join(bin, "espeak-ng")}" exited with code 3: no voice data\n`);
      expect(await readdir(join(dir, "clips"))).toEqual(["zh"]);
      expect(await readFile(join(dir, "clips", "zh", "consent.ogg"), "utf8")).toBe("previous clip");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
