import { describe, expect, test } from "bun:test";
import { isKioskError, voiceCaption } from "@kiosk/contracts";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { espeakArgs, ffmpegArgs, findSynthesisTools, synthesizeClip } from "./clip-synthesis.ts";
import { oggOpusDurationMs } from "./ogg-opus-duration.ts";

describe("clip synthesis", () => {
  test("speaks Chinese with the Mandarin voice and passes the caption after --, as UTF-8", () => {
    expect(espeakArgs("zh", "-请眨眼。", "/w/zh.wav")).toEqual(["-v", "cmn", "-s", "200", "-b", "1", "-w", "/w/zh.wav", "--", "-请眨眼。"]);
    expect(espeakArgs("en", "Please blink.", "/w/en.wav").slice(0, 4)).toEqual(["-v", "en-us", "-s", "150"]);
  });

  test("compresses to mono Opus at 12 kbps, bit-exact and without metadata", () => {
    const args = ffmpegArgs("/w/in.wav", "/o/out.ogg");
    expect(args.join(" ")).toContain("-map_metadata -1 -ac 1 -c:a libopus -b:a 12k -application voip -fflags +bitexact -flags:a +bitexact /o/out.ogg");
  });

  test("a missing program is a missing dependency naming the apt-get line", () => {
    let caught: unknown;
    try {
      findSynthesisTools("/nonexistent");
    } catch (error) {
      caught = error;
    }
    expect(isKioskError(caught, "missing-dependency")).toBe(true);
    expect((caught as Error).message).toBe('Cannot run "espeak-ng": it is not installed; install it with "apt-get install --no-install-recommends espeak-ng ffmpeg"');
  });

  test("makes the same small Ogg Opus clip twice from one caption, in each language", async () => {
    const dir = await mkdtemp(join(tmpdir(), "clip-synthesis-"));
    try {
      const tools = findSynthesisTools(process.env["PATH"]);
      expect(tools.espeakNgVersion).toMatch(/^\d+\.\d+/);
      for (const lang of ["zh", "en"] as const) {
        const caption = voiceCaption("challenge-blink", lang);
        await synthesizeClip(tools, lang, caption, join(dir, `${lang}-1.ogg`), dir);
        await synthesizeClip(tools, lang, caption, join(dir, `${lang}-2.ogg`), dir);
        const first = new Uint8Array(await readFile(join(dir, `${lang}-1.ogg`)));
        expect(new Uint8Array(await readFile(join(dir, `${lang}-2.ogg`)))).toEqual(first);
        expect(new TextDecoder().decode(first.subarray(0, 4))).toBe("OggS");
        const durationMs = oggOpusDurationMs(first);
        expect(durationMs).toBeGreaterThan(300);
        expect(durationMs).toBeLessThan(3000);
        // 12 kbps plus Ogg framing.
        expect(first.length).toBeLessThan((durationMs / 1000) * 2000 + 1500);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
