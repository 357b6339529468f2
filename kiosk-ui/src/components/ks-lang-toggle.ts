import type { SessionLanguage } from "@kiosk/contracts";
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fire } from "../events.ts";
import { htmlLang } from "../localization/locale.ts";
import { tokens } from "../styles/tokens.ts";

/** The language button shown on every screen: asks the session to switch (`set-language`). */
@customElement("ks-lang-toggle")
export class KsLangToggle extends LitElement {
  static override styles = [
    tokens,
    css`
      button {
        min-width: var(--ks-touch-min);
        min-height: var(--ks-touch-min);
        padding: 0 var(--ks-space);
        font: inherit;
        font-size: var(--ks-text-small);
        color: var(--ks-color-brand-ink);
        background: transparent;
        border: 2px solid var(--ks-color-brand-ink);
        border-radius: var(--ks-radius);
        cursor: pointer;
      }
      button:focus-visible {
        outline: 4px solid var(--ks-color-brand-ink);
        outline-offset: 4px;
      }
    `,
  ];

  /** The language shown now. */
  @property() accessor language: SessionLanguage = "zh";

  override render() {
    const next: SessionLanguage = this.language === "zh" ? "en" : "zh";
    // Each label is written in the language it switches to, so a reader of it finds it.
    const label = next === "en" ? "Switch to English" : "切换到中文";
    return html`<button type="button" lang=${htmlLang(next)} aria-label=${label} data-event="set-language" data-language=${next}
      @click=${() => fire(this, "ks-applicant-event", { type: "set-language", language: next })}>${next === "en" ? "English" : "中文"}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-lang-toggle": KsLangToggle;
  }
}

