/**
 * Makes one voice prompt clip offline: espeak-ng (Debian package
 * `espeak-ng`, Mandarin voice `cmn`) speaks the caption into a WAV file,
 * and ffmpeg compresses it to mono Opus in Ogg, which Chromium plays.
 * Both programs are deterministic for the same versions and settings
 * (ffmpeg with `bitexact`, so no random stream serial and no version tag),
 * so the same catalogue gives the same bytes.
 */
import { KioskError, type SessionLanguage } from "@kiosk/contracts";
import { join } from "node:path";

/** The settings clips are made with; recorded in the manifest. */
export const SYNTHESIS_SETTINGS = {
  /** espeak-ng voice per language (`espeak-ng --voices=cmn`). */
  voices: { zh: "cmn", en: "en-us" } as const satisfies Record<SessionLanguage, string>,
  /**
   * Speaking rate (espeak-ng `-s`). English is slower than espeak-ng's 175
   * for listeners of any age; for `cmn` the same number is slower still, so
   * 200 gives about 3 syllables a second with pauses at punctuation.
   */
  wordsPerMinute: { zh: 200, en: 150 } as const satisfies Record<SessionLanguage, number>,
  /** Opus bitrate: wideband speech, clear for synthetic voices; a clip of 4 s is about 6 KB. */
  bitrateKbps: 12,
} as const;

/** The apt-get line that installs the programs. */
export const SYNTHESIS_INSTALL_HINT = "apt-get install --no-install-recommends espeak-ng ffmpeg";

/** The programs that make clips: where they are and their versions (recorded in the manifest). */
export interface SynthesisTools {
  readonly espeakNgPath: string;
  readonly ffmpegPath: string;
  readonly espeakNgVersion: string;
  readonly ffmpegVersion: string;
}

/** The espeak-ng arguments that speak `text` in `lang` into `wavPath` (UTF-8 text, `--` before it). */
export function espeakArgs(lang: SessionLanguage, text: string, wavPath: string): string[] {
  return ["-v", SYNTHESIS_SETTINGS.voices[lang], "-s", String(SYNTHESIS_SETTINGS.wordsPerMinute[lang]), "-b", "1", "-w", wavPath, "--", text];
}

/** The ffmpeg arguments that compress `wavPath` into mono Opus in Ogg at `oggPath`, without metadata. */
export function ffmpegArgs(wavPath: string, oggPath: string): string[] {
  return [
    "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
    "-i", wavPath,
    "-map_metadata", "-1", "-ac", "1",
    "-c:a", "libopus", "-b:a", `${SYNTHESIS_SETTINGS.bitrateKbps}k`, "-application", "voip",
    "-fflags", "+bitexact", "-flags:a", "+bitexact",
    oggPath,
  ];
}

/**
 * Finds espeak-ng and ffmpeg on `searchPath` (a `PATH` value) and reads their versions.
 *
 * @throws {KioskError} `missing-dependency` naming the apt-get line when either is missing.
 */
export function findSynthesisTools(searchPath: string | undefined): SynthesisTools {
  const espeakNgPath = findTool("espeak-ng", searchPath);
  const ffmpegPath = findTool("ffmpeg", searchPath);
  // "eSpeak NG text-to-speech: 1.51  Data at: …" and "ffmpeg version 5.1.9-0+deb12u1 Copyright …".
  return {
    espeakNgPath,
    ffmpegPath,
    espeakNgVersion: versionIn(firstLine(espeakNgPath, ["--version"]), /text-to-speech: (\S+)/),
    ffmpegVersion: versionIn(firstLine(ffmpegPath, ["-version"]), /version (\S+)/),
  };
}

/**
 * Speaks `text` in `lang` into the Ogg Opus file `oggPath`, using `workDir`
 * for the intermediate WAV.
 *
 * @throws {KioskError} `internal` when a program fails.
 */
export async function synthesizeClip(tools: SynthesisTools, lang: SessionLanguage, text: string, oggPath: string, workDir: string): Promise<void> {
  const wavPath = join(workDir, `${lang}.wav`);
  await runTool(tools.espeakNgPath, espeakArgs(lang, text, wavPath));
  await runTool(tools.ffmpegPath, ffmpegArgs(wavPath, oggPath));
}

function findTool(program: string, searchPath: string | undefined): string {
  const found = Bun.which(program, { PATH: searchPath ?? "" });
  if (found === null) {
    throw new KioskError("missing-dependency", `Cannot run "${program}": it is not installed; install it with "${SYNTHESIS_INSTALL_HINT}"`, {
      details: { program, install: SYNTHESIS_INSTALL_HINT },
    });
  }
  return found;
}

async function runTool(program: string, args: readonly string[]): Promise<void> {
  const child = Bun.spawn([program, ...args], { stdin: "ignore", stdout: "ignore", stderr: "pipe" });
  const [stderr, code] = await Promise.all([new Response(child.stderr).text(), child.exited]);
  if (code !== 0) throw new KioskError("internal", `"${program}" exited with code ${code}: ${stderr.trim().split("\n").at(-1) ?? ""}`);
}

function firstLine(program: string, args: readonly string[]): string {
  const result = Bun.spawnSync([program, ...args], { stdout: "pipe", stderr: "pipe" });
  return result.stdout.toString().split("\n")[0]?.trim() ?? "";
}

function versionIn(line: string, pattern: RegExp): string {
  return pattern.exec(line)?.[1] ?? line;
}
