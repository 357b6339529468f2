import { voiceCaption, type SessionLanguage } from "@kiosk/contracts";
import { localized, msg } from "@lit/localize";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { cardOnReader } from "../components/card-on-reader.ts";
import { tokens } from "../styles/tokens.ts";
import { screenStyles } from "./screen-styles.ts";
import type { ViewOf } from "./view-of.ts";

/** Asks for the card, saying first why when it must be placed again. */
@localized()
@customElement("ks-screen-place-card")
export class KsScreenPlaceCard extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    css`
      .notice {
        padding: var(--ks-space);
        font-size: 32px;
        background: #fff4d6;
        border: 4px solid var(--ks-color-warn);
        border-radius: var(--ks-radius);
      }
    `,
  ];

  @property({ attribute: false }) accessor view: ViewOf<"place-card"> | undefined;
  @property() accessor language: SessionLanguage = "zh";

  override render() {
    const notice = this.view?.notice;
    return html`
      ${notice ? html`<p class="notice" role="alert" data-notice=${notice}><strong>⚠ ${voiceCaption(`place-card-${notice}`, this.language)}</strong></p>` : nothing}
      ${cardOnReader(240, 230)}
      <h1>${msg("请将身份证放在读卡区", { id: "place-card.title" })}</h1>
      <p>${msg("读卡区在屏幕下方。放好后请不要移动证件。", { id: "place-card.body" })}</p>
      <p class="hint">${msg("支持居民身份证、港澳台居民居住证、外国人永久居留身份证", { id: "idle.cards" })}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-place-card": KsScreenPlaceCard;
  }
}
