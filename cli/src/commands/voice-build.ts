/**
 * `./kiosk voice build [--out DIR] [--key KEY ...]`: makes the voice prompt
 * clips offline from the catalogue captions (`@kiosk/contracts`
 * `VOICE_PROMPTS`) with espeak-ng and ffmpeg: `<lang>/<key>.ogg` (mono Opus
 * in Ogg) for every prompt and language, plus `manifest.json` recording each
 * clip's caption, size, length and hash and the tools that made it.
 *
 * DIR defaults to the edge server's committed clips (`edge-server/voice/`).
 * Building every prompt replaces the folder's clips, so clips of removed
 * prompts go; `--key` remakes only the given prompts and keeps the rest.
 * Prints one JSON object `{"out","clips","bytes","durationMs","espeakNg","ffmpeg"}`.
 * Exit 0 on success, 1 when a program is missing or fails, 2 for bad usage.
 */
import { isKioskError, isSessionPromptKey, SESSION_PROMPT_KEYS, sha256Hex, SESSION_LANGUAGES, voiceCaption, type SessionPromptKey } from "@kiosk/contracts";
import { GENERATED_VOICE_DIR, generatedClipFile, manifestClipId, VOICE_MANIFEST_FILE, voiceManifestSchema, type VoiceClipEntry, type VoiceManifest } from "@kiosk/edge-server";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { findSynthesisTools, SYNTHESIS_SETTINGS, synthesizeClip } from "../voice/clip-synthesis.ts";
import { oggOpusDurationMs } from "../voice/ogg-opus-duration.ts";

interface Options {
  readonly out: string;
  /** The prompts to make; `undefined` means all of them. */
  readonly keys: readonly SessionPromptKey[] | undefined;
}

function parse(args: string[], cwd: string): Options {
  const { values } = parseArgs({ args, options: { out: { type: "string" }, key: { type: "string", multiple: true } } });
  const keys = values.key?.map((key) => {
    if (!isSessionPromptKey(key)) throw new RangeError(`Unknown voice prompt "${key}": ./kiosk voice list shows the keys`);
    return key;
  });
  return { out: values.out === undefined ? GENERATED_VOICE_DIR : resolve(cwd, values.out), keys };
}

async function readManifest(path: string): Promise<VoiceManifest | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  return text === undefined ? undefined : voiceManifestSchema.parse(JSON.parse(text));
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let options: Options;
  try {
    options = parse(args, io.cwd);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const workDir = await mkdtemp(join(tmpdir(), "kiosk-voice-"));
  try {
    const tools = findSynthesisTools(io.env["PATH"]);
    const manifestPath = join(options.out, VOICE_MANIFEST_FILE);
    const previous = options.keys ? await readManifest(manifestPath) : undefined;
    // Every clip is made in the work folder first, so a failure leaves the output folder as it was.
    const staged = join(workDir, "clips");
    const made = new Map<string, VoiceClipEntry>();
    for (const key of options.keys ?? SESSION_PROMPT_KEYS) {
      for (const lang of SESSION_LANGUAGES) {
        const file = generatedClipFile(lang, key);
        await mkdir(join(staged, lang), { recursive: true });
        const caption = voiceCaption(key, lang);
        await synthesizeClip(tools, lang, caption, join(staged, file), workDir);
        const bytes = new Uint8Array(await readFile(join(staged, file)));
        made.set(manifestClipId(lang, key), { caption, file, bytes: bytes.length, durationMs: oggOpusDurationMs(bytes), sha256: await sha256Hex(bytes) });
      }
    }
    for (const lang of SESSION_LANGUAGES) {
      // A full build replaces the clips, so clips of removed prompts go.
      if (!options.keys) await rm(join(options.out, lang), { recursive: true, force: true });
      await cp(join(staged, lang), join(options.out, lang), { recursive: true });
    }
    // Catalogue order, so the manifest changes only where clips change.
    const clips: Record<string, VoiceClipEntry> = {};
    for (const key of SESSION_PROMPT_KEYS) {
      for (const lang of SESSION_LANGUAGES) {
        const id = manifestClipId(lang, key);
        const entry = made.get(id) ?? previous?.clips[id];
        if (entry) clips[id] = entry;
      }
    }
    const manifest: VoiceManifest = { generator: { espeakNg: tools.espeakNgVersion, ffmpeg: tools.ffmpegVersion, ...SYNTHESIS_SETTINGS }, clips };
    await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    const entries = Object.values(clips);
    io.out(
      `${JSON.stringify({
        out: options.out,
        clips: entries.length,
        bytes: entries.reduce((sum, e) => sum + e.bytes, 0),
        durationMs: entries.reduce((sum, e) => sum + e.durationMs, 0),
        espeakNg: tools.espeakNgVersion,
        ffmpeg: tools.ffmpegVersion,
      })}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    io.err(`Building the voice prompts failed: ${isKioskError(error) ? error.message : String(error)}\n`);
    return EXIT.failure;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
