import { describe, expect, test } from "bun:test";
import { isSessionPromptKey, SESSION_PROMPT_KEYS, SESSION_LANGUAGES, voiceCaption } from "@kiosk/contracts";
import { CHALLENGE_ACTIONS } from "./domain/liveness-challenge.ts";
import { GUIDANCE_CODES } from "./domain/quality-gate.ts";
import { generatedClipFile, manifestClipId, manifestProblems, type VoiceManifest } from "./voice-manifest.ts";

function upToDate(): VoiceManifest {
  const clips: VoiceManifest["clips"] = {};
  for (const key of SESSION_PROMPT_KEYS) {
    for (const lang of SESSION_LANGUAGES) {
      clips[manifestClipId(lang, key)] = { caption: voiceCaption(key, lang), file: generatedClipFile(lang, key), bytes: 100, durationMs: 1000, sha256: "0".repeat(64) };
    }
  }
  return { generator: { espeakNg: "1.51", ffmpeg: "5.1.9", voices: { zh: "cmn", en: "en-us" }, wordsPerMinute: { zh: 200, en: 150 }, bitrateKbps: 12 }, clips };
}

describe("the voice catalogue", () => {
  test("has a prompt for every face guidance code and every challenge action", () => {
    for (const code of GUIDANCE_CODES) expect(isSessionPromptKey(`guidance-${code}`)).toBe(true);
    for (const action of CHALLENGE_ACTIONS) expect(isSessionPromptKey(`challenge-${action}`)).toBe(true);
  });
});

describe("manifestProblems", () => {
  test("finds none when every clip was made from its current caption", () => {
    expect(manifestProblems(upToDate())).toEqual([]);
  });

  test("names a missing clip, a changed caption, a misplaced file and a clip of a removed prompt", () => {
    const manifest = upToDate();
    delete manifest.clips["en/consent"];
    const verified = manifest.clips["zh/result-verified"];
    const blink = manifest.clips["en/challenge-blink"];
    if (!verified || !blink) throw new Error("fixture incomplete");
    manifest.clips["zh/result-verified"] = { ...verified, caption: "核验成功。" };
    manifest.clips["en/challenge-blink"] = { ...blink, file: "en/blink.ogg" };
    manifest.clips["zh/welcome"] = { ...verified, file: "zh/welcome.ogg" };
    expect(manifestProblems(manifest)).toEqual([
      'Clip "en/consent" is missing',
      `Clip "zh/result-verified" speaks "核验成功。": the caption is now "${voiceCaption("result-verified", "zh")}"`,
      'Clip "en/challenge-blink" is in "en/blink.ogg": expected "en/challenge-blink.ogg"',
      'Clip "zh/welcome" is for no prompt of the catalogue',
    ]);
  });
});
