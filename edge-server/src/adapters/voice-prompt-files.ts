import type { SessionPromptKey, SessionLanguage } from "@kiosk/contracts";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { VoiceClip, VoicePromptSource } from "../ports.ts";
import { GENERATED_CLIP_CONTENT_TYPE, generatedClipFile } from "../voice-manifest.ts";

/** The folder of the clips `./kiosk voice build` generates, committed with the code: `edge-server/voice/`. */
export const GENERATED_VOICE_DIR = fileURLToPath(new URL("../../voice/", import.meta.url));

/** File types a recording may have, in the order they are looked for, with their media types. */
export const RECORDING_TYPES = [
  ["ogg", "audio/ogg"],
  ["opus", "audio/ogg"],
  ["mp3", "audio/mpeg"],
  ["wav", "audio/wav"],
] as const;

/** Options of {@linkcode VoicePromptFiles}. */
export interface VoicePromptFilesOptions {
  /** Folder of recordings: `<lang>/<key>.<ext>` (`zh/consent.mp3`); it need not exist. */
  readonly recordingsDir: string;
  /** Folder of the generated clips; defaults to {@linkcode GENERATED_VOICE_DIR}. */
  readonly generatedDir?: string;
}

/**
 * Finds voice prompt clips on disk: a recording in the recordings folder wins
 * over the generated clip. Files are looked up on every request, so a
 * recording dropped in (or removed) takes effect at once, without a restart.
 * Paths are built only from catalogue keys and languages, never from request
 * text. Uses only `node:fs`, which Bun and Deno both provide.
 */
export class VoicePromptFiles implements VoicePromptSource {
  readonly #recordingsDir: string;
  readonly #generatedDir: string;

  constructor(options: VoicePromptFilesOptions) {
    this.#recordingsDir = options.recordingsDir;
    this.#generatedDir = options.generatedDir ?? GENERATED_VOICE_DIR;
  }

  async get(lang: SessionLanguage, key: SessionPromptKey): Promise<VoiceClip | undefined> {
    for (const [ext, contentType] of RECORDING_TYPES) {
      const body = await readNonEmptyFile(join(this.#recordingsDir, lang, `${key}.${ext}`));
      if (body) return { body, contentType, origin: "recording" };
    }
    const body = await readNonEmptyFile(join(this.#generatedDir, generatedClipFile(lang, key)));
    return body ? { body, contentType: GENERATED_CLIP_CONTENT_TYPE, origin: "generated" } : undefined;
  }
}

// An empty file (a recording being copied in, or a mistake) counts as absent.
async function readNonEmptyFile(path: string): Promise<Uint8Array | undefined> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile() || info.size === 0) return undefined;
  return new Uint8Array(await readFile(path));
}
