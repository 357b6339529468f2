/**
 * The record kept beside the generated voice clips (`voice/manifest.json`):
 * which caption each clip speaks, its size, length and hash, and how it was
 * made. A test compares it with the prompt catalogue, so a caption changed
 * without running `./kiosk voice build` is caught.
 */
import { SESSION_PROMPT_KEYS, SESSION_LANGUAGES, voiceCaption, type SessionPromptKey, type SessionLanguage } from "@kiosk/contracts";
import { z } from "zod";

/** Name of the manifest file in the generated clips' folder. */
export const VOICE_MANIFEST_FILE = "manifest.json";

/** Media type of the generated clips: Opus in Ogg, which Chromium plays. */
export const GENERATED_CLIP_CONTENT_TYPE = "audio/ogg";

/** Where the generated clip of `key` in `lang` lies, relative to the clips' folder: `zh/consent.ogg`. */
export function generatedClipFile(lang: SessionLanguage, key: SessionPromptKey): string {
  return `${lang}/${key}.ogg`;
}

const clipEntrySchema = z.object({
  /** The words spoken: the catalogue caption the clip was made from. */
  caption: z.string().min(1),
  /** Path relative to the clips' folder. */
  file: z.string().min(1),
  bytes: z.number().int().positive(),
  durationMs: z.number().int().positive(),
  /** SHA-256 of the file, hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** One clip in the manifest. */
export type VoiceClipEntry = z.infer<typeof clipEntrySchema>;

/** Schema of `manifest.json`. */
export const voiceManifestSchema = z.object({
  /** The programs and settings that made the clips. */
  generator: z.object({
    espeakNg: z.string(),
    ffmpeg: z.string(),
    voices: z.record(z.string(), z.string()),
    wordsPerMinute: z.record(z.string(), z.number().int().positive()),
    bitrateKbps: z.number().int().positive(),
  }),
  /** Keyed `<lang>/<key>`, in catalogue order. */
  clips: z.record(z.string(), clipEntrySchema),
});

/** The parsed `manifest.json`. */
export type VoiceManifest = z.infer<typeof voiceManifestSchema>;

/** The manifest key of a clip: `zh/consent`. */
export function manifestClipId(lang: SessionLanguage, key: SessionPromptKey): string {
  return `${lang}/${key}`;
}

/**
 * How `manifest` disagrees with the prompt catalogue: clips missing, made
 * from another caption, or for prompts that no longer exist. Empty when the
 * generated clips are up to date.
 */
export function manifestProblems(manifest: VoiceManifest): string[] {
  const problems: string[] = [];
  const expected = new Set<string>();
  for (const key of SESSION_PROMPT_KEYS) {
    for (const lang of SESSION_LANGUAGES) {
      const id = manifestClipId(lang, key);
      expected.add(id);
      const entry = manifest.clips[id];
      if (!entry) problems.push(`Clip "${id}" is missing`);
      else if (entry.caption !== voiceCaption(key, lang)) problems.push(`Clip "${id}" speaks "${entry.caption}": the caption is now "${voiceCaption(key, lang)}"`);
      else if (entry.file !== generatedClipFile(lang, key)) problems.push(`Clip "${id}" is in "${entry.file}": expected "${generatedClipFile(lang, key)}"`);
    }
  }
  for (const id of Object.keys(manifest.clips)) if (!expected.has(id)) problems.push(`Clip "${id}" is for no prompt of the catalogue`);
  return problems;
}
