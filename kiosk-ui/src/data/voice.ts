/**
 * Where the UI finds the voice prompt clips the kiosk service serves. No DOM here.
 */
import { voicePromptPath, type SessionPromptKey, type SessionLanguage } from "@kiosk/contracts";

/** The URL of the clip of `key` in `lang`: a recording dropped in by staff, or the generated clip. */
export function voicePromptUrl(lang: SessionLanguage, key: SessionPromptKey): string {
  return voicePromptPath(lang, key);
}
