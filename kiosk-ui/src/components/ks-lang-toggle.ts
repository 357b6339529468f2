import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fire } from "../events.ts";
import { t, type Lang } from "../i18n.ts";
import { tokens } from "../styles/tokens.ts";

/** The language button shown on every screen; fires `ks-lang-change`. */
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
    `,
  ];

  @property() accessor locale: Lang = "zh";

  override render() {
    const next: Lang = this.locale === "zh" ? "en" : "zh";
    return html`<button type="button" lang=${next === "zh" ? "zh-CN" : "en"} aria-label=${t(this.locale, "lang.switchLabel")}
      @click=${() => fire(this, "ks-lang-change", { lang: next })}>${t(this.locale, "lang.switch")}</button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-lang-toggle": KsLangToggle;
  }
}
