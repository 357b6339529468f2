import { describe, expect, test } from "bun:test";
import { sha256Hex, voiceCaption } from "@kiosk/contracts";
import { voiceManifestSchema } from "@kiosk/edge-server";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "../testing/capture-io.ts";
import { run } from "./voice-build.ts";

describe("./kiosk voice build", () => {
  test("--key makes those prompts in both languages and keeps the manifest's other clips, in catalogue order", async () => {
    const dir = await mkdtemp(join(tmpdir(), "voice-build-"));
    try {
      const first = captureIo({ cwd: dir, env: { PATH: process.env["PATH"] } });
      expect(await run(["--out", "clips", "--key", "verified"], first.io)).toBe(0);
      expect(first.err).toEqual([]);
      const summary = JSON.parse(first.out[0] ?? "");
      expect(summary).toMatchObject({ out: join(dir, "clips"), clips: 2 });
      expect(summary.bytes).toBeGreaterThan(0);

      const second = captureIo({ cwd: dir, env: { PATH: process.env["PATH"] } });
      expect(await run(["--out", "clips", "--key", "consent"], second.io)).toBe(0);
      const manifest = voiceManifestSchema.parse(JSON.parse(await readFile(join(dir, "clips", "manifest.json"), "utf8")));
      expect(Object.keys(manifest.clips)).toEqual(["zh/consent", "en/consent", "zh/verified", "en/verified"]);
      expect(manifest.generator.voices).toEqual({ zh: "cmn", en: "en-us" });
      expect((await readdir(join(dir, "clips", "zh"))).sort()).toEqual(["consent.ogg", "verified.ogg"]);
      for (const [id, entry] of Object.entries(manifest.clips)) {
        const [lang, key] = id.split("/") as ["zh" | "en", "consent" | "verified"];
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
});
