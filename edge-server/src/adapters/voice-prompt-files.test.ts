import { describe, expect, test } from "bun:test";
import { SESSION_PROMPT_KEYS, sha256Hex, SESSION_LANGUAGES, voiceCaption } from "@kiosk/contracts";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { manifestClipId, manifestProblems, VOICE_MANIFEST_FILE, voiceManifestSchema } from "../voice-manifest.ts";
import { GENERATED_VOICE_DIR, VoicePromptFiles } from "./voice-prompt-files.ts";

describe("the committed generated clips", () => {
  test("were made from the current captions (else run ./kiosk voice build), and are the files the manifest hashed", async () => {
    const manifest = voiceManifestSchema.parse(JSON.parse(await readFile(join(GENERATED_VOICE_DIR, VOICE_MANIFEST_FILE), "utf8")));
    expect(manifestProblems(manifest)).toEqual([]);
    for (const entry of Object.values(manifest.clips)) {
      const bytes = new Uint8Array(await readFile(join(GENERATED_VOICE_DIR, entry.file)));
      expect({ file: entry.file, bytes: bytes.length, sha256: await sha256Hex(bytes) }).toEqual({ file: entry.file, bytes: entry.bytes, sha256: entry.sha256 });
    }
    // Nothing in the folder that the manifest does not list.
    for (const lang of SESSION_LANGUAGES) expect((await readdir(join(GENERATED_VOICE_DIR, lang))).length).toBe(SESSION_PROMPT_KEYS.length);
  });

  test("speak every prompt the session machine can ask for, in both languages", async () => {
    const manifest = voiceManifestSchema.parse(JSON.parse(await readFile(join(GENERATED_VOICE_DIR, VOICE_MANIFEST_FILE), "utf8")));
    const files = new VoicePromptFiles({ recordingsDir: "/nonexistent" });
    const unspoken: string[] = [];
    for (const key of SESSION_PROMPT_KEYS) {
      for (const lang of SESSION_LANGUAGES) {
        const clip = await files.get(lang, key);
        const entry = manifest.clips[manifestClipId(lang, key)];
        if (clip?.origin !== "generated" || clip.body.length === 0 || entry?.caption !== voiceCaption(key, lang)) unspoken.push(manifestClipId(lang, key));
      }
    }
    expect(unspoken).toEqual([]);
  });

  test("stay small: under 1 MB in all, no clip over 12 s", async () => {
    const manifest = voiceManifestSchema.parse(JSON.parse(await readFile(join(GENERATED_VOICE_DIR, VOICE_MANIFEST_FILE), "utf8")));
    const entries = Object.values(manifest.clips);
    expect(entries.reduce((sum, e) => sum + e.bytes, 0)).toBeLessThan(1_000_000);
    for (const entry of entries) expect(entry.durationMs).toBeLessThanOrEqual(12_000);
  });

  test("are served as Ogg when no recording replaces them", async () => {
    const files = new VoicePromptFiles({ recordingsDir: "/nonexistent" });
    for (const lang of SESSION_LANGUAGES) {
      const clip = await files.get(lang, "consent");
      expect(clip?.contentType).toBe("audio/ogg");
      expect(clip?.origin).toBe("generated");
      expect(new TextDecoder().decode(clip?.body.subarray(0, 4))).toBe("OggS");
    }
  });
});
