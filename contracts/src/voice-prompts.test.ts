import { describe, expect, test } from "bun:test";
import { isSessionLanguage, SESSION_LANGUAGES, SESSION_PROMPT_KEYS } from "./session-view.ts";
import { isSessionPromptKey, VOICE_PROMPTS, voiceCaption, voicePromptPath } from "./voice-prompts.ts";

describe("voice prompts", () => {
  test("has exactly one prompt per session prompt key, in the session's order", () => {
    expect(Object.keys(VOICE_PROMPTS)).toEqual([...SESSION_PROMPT_KEYS]);
  });

  test("every key can be a file name and a URL segment", () => {
    for (const key of SESSION_PROMPT_KEYS) expect(key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  test("every prompt has a short caption in each language", () => {
    for (const key of SESSION_PROMPT_KEYS) {
      for (const lang of SESSION_LANGUAGES) {
        const caption = voiceCaption(key, lang);
        expect(caption.trim()).toBe(caption);
        expect(caption.length).toBeGreaterThan(0);
        // About ten seconds of speech at most, in either language.
        expect(caption.length).toBeLessThanOrEqual(lang === "zh" ? 50 : 140);
      }
      expect(voiceCaption(key, "zh")).toMatch(/\p{Script=Han}/u);
      expect(voiceCaption(key, "en")).not.toMatch(/\p{Script=Han}/u);
    }
  });

  test("keys and languages are recognised exactly, without inherited names or path tricks", () => {
    expect(isSessionPromptKey("consent")).toBe(true);
    for (const value of ["toString", "__proto__", "constructor", "../consent", "consent.ogg", "Consent", ""]) {
      expect(isSessionPromptKey(value)).toBe(false);
    }
    expect(SESSION_LANGUAGES.every(isSessionLanguage)).toBe(true);
    for (const value of ["zh-CN", "EN", "fr", "..", "toString", ""]) expect(isSessionLanguage(value)).toBe(false);
  });

  test("the result titles the issue fixes are spoken as written", () => {
    expect(VOICE_PROMPTS["result-verified"].zh.startsWith("核验通过")).toBe(true);
    expect(VOICE_PROMPTS["result-verified"].en.startsWith("Verified")).toBe(true);
    expect(VOICE_PROMPTS["result-referral"].zh.startsWith("请到窗口办理")).toBe(true);
    expect(VOICE_PROMPTS["result-referral"].en.startsWith("Please go to a staff window")).toBe(true);
  });

  test("the clip path names the language, then the key", () => {
    expect(voicePromptPath("zh", "consent")).toBe("/voice/zh/consent");
    expect(voicePromptPath("en", "guidance-too-dark")).toBe("/voice/en/guidance-too-dark");
  });
});
