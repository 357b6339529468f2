/**
 * The UI's languages through @lit/localize in runtime mode: Chinese (zh-CN)
 * is the source locale written in the code with `msg()`, English the one
 * target, whose templates are bundled (`en.ts`). The session view says which
 * language to show; {@linkcode showLanguage} switches to it.
 */
import type { SessionLanguage } from "@kiosk/contracts";
import { configureLocalization } from "@lit/localize";
import { templates as en } from "./en.ts";

const LOCALES: Record<SessionLanguage, string> = { zh: "zh-CN", en: "en" };

const { setLocale } = configureLocalization({
  sourceLocale: LOCALES.zh,
  targetLocales: [LOCALES.en],
  loadLocale: () => Promise.resolve({ templates: en }),
});

/** The `lang` attribute value for `lang`. */
export function htmlLang(lang: SessionLanguage): string {
  return LOCALES[lang];
}

/** Shows every localized element in `lang`, and sets the page's `lang` attribute once the texts are loaded. */
export async function showLanguage(lang: SessionLanguage): Promise<void> {
  await setLocale(LOCALES[lang]);
  document.documentElement.lang = LOCALES[lang];
}
