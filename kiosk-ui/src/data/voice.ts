/**
 * Where the UI finds the voice prompt clips the kiosk service serves. No DOM here.
 */
import { voicePromptPath, type VoiceLang, type VoicePromptKey } from "@kiosk/contracts";

/** The URL of the clip of `key` in `lang`: a recording dropped in by staff, or the generated clip. */
export function voicePromptUrl(lang: VoiceLang, key: VoicePromptKey): string {
  return voicePromptPath(lang, key);
}
