import type { PreviewFrame, SessionLanguage } from "@kiosk/contracts";
import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import "../components/ks-camera-preview.ts";
import "../components/ks-masked-card.ts";
import { challengeText, guidanceText } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";
import { screenStyles } from "./screen-styles.ts";
import type { ViewOf } from "./view-of.ts";

/** One face attempt: the live preview in the face-guide oval, what to do to get into position, and the challenge to perform. */
@localized()
@customElement("ks-screen-face")
export class KsScreenFace extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    css`
      :host {
        justify-content: flex-start;
        gap: 16px;
      }
      [data-guidance],
      [data-challenge] {
        font-size: 36px;
        font-weight: bold;
        max-width: none;
      }
      [data-challenge] {
        padding: 12px var(--ks-space);
        color: var(--ks-color-brand-ink);
        background: var(--ks-color-brand);
        border-radius: var(--ks-radius);
      }
    `,
  ];

  @property({ attribute: false }) accessor view: ViewOf<"face"> | undefined;
  /** The latest frame of the live preview. */
  @property({ attribute: false }) accessor frame: PreviewFrame | undefined;
  @property() accessor language: SessionLanguage = "zh";

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const { attempt, maxAttempts, guidance, challenge } = view;
    return html`
      <h1>${msg("请看摄像头", { id: "face.title" })}</h1>
      <p class="hint">${msg(str`第 ${attempt} 次，共 ${maxAttempts} 次`, { id: "face.attempt" })}</p>
      <ks-camera-preview .frame=${this.frame}></ks-camera-preview>
      ${challenge
        ? html`<p data-challenge=${challenge.action}><span aria-hidden="true">▶ </span>${challengeText(challenge.action, this.language)}</p>`
        : nothing}
      <p data-guidance=${guidance ?? "good"}>
        ${guidance ? html`<span aria-hidden="true">⚠ </span>${guidanceText(guidance, this.language)}` : html`<span aria-hidden="true">✓ </span>${msg("很好，请保持不动", { id: "face.good" })}`}
      </p>
      <ks-masked-card card-type=${view.card.cardType} masked-id-number=${view.card.maskedIdNumber}></ks-masked-card>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-face": KsScreenFace;
  }
}
