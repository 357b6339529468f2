import { LitElement, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { t, type Lang } from "../i18n.ts";
import { tokens } from "../styles/tokens.ts";
import { screenStyles } from "./screen-styles.ts";

/** The idle step: asks the applicant to place their ID card on the reader. */
@customElement("ks-screen-insert-card")
export class KsScreenInsertCard extends LitElement {
  static override styles = [tokens, screenStyles];

  @property() accessor locale: Lang = "zh";

  override render() {
    return html`
      <svg width="240" height="230" viewBox="0 0 240 230" aria-hidden="true">
        <rect x="20" y="10" width="200" height="126" rx="12" fill="#ffffff" stroke="#0b4f9c" stroke-width="6" />
        <rect x="40" y="36" width="54" height="70" rx="6" fill="#cfdced" />
        <rect x="108" y="40" width="92" height="10" rx="5" fill="#cfdced" />
        <rect x="108" y="62" width="72" height="10" rx="5" fill="#cfdced" />
        <rect x="108" y="84" width="82" height="10" rx="5" fill="#cfdced" />
        <!-- A bold arrow down: the reader is below the screen. -->
        <path d="M120 156 v56 M94 188 l26 26 l26 -26" fill="none" stroke="#0b4f9c" stroke-width="10" stroke-linecap="round" stroke-linejoin="round" />
      </svg>
      <h1>${t(this.locale, "insert.title")}</h1>
      <p>${t(this.locale, "insert.body")}</p>
      <p class="hint">${t(this.locale, "insert.hint")}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-insert-card": KsScreenInsertCard;
  }
}
