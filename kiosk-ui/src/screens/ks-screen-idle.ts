import { localized, msg } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { cardOnReader } from "../components/card-on-reader.ts";
import { fire } from "../events.ts";
import { tokens } from "../styles/tokens.ts";
import { buttonStyles, screenStyles } from "./screen-styles.ts";

/** The attract loop: a touch anywhere on it (the big button included) or a card on the reader starts. */
@localized()
@customElement("ks-screen-idle")
export class KsScreenIdle extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    buttonStyles,
    css`
      .card-on-reader {
        animation: hover 3s ease-in-out infinite;
      }
      @keyframes hover {
        50% {
          transform: translateY(24px);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .card-on-reader {
          animation: none;
        }
      }
      button {
        min-width: 560px;
        min-height: 140px;
        font-size: 44px;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener("click", () => fire(this, "ks-applicant-event", { type: "start" }));
  }

  override render() {
    return html`
      <h1>${msg("企业登记实名认证", { id: "idle.title" })}</h1>
      ${cardOnReader(280, 260)}
      <p>${msg("请触摸屏幕开始，或直接将身份证放在屏幕下方的读卡区", { id: "idle.body" })}</p>
      <button type="button" class="primary" data-event="start">
        ${msg("开始办理", { id: "idle.start" })}
      </button>
      <p class="hint">${msg("支持居民身份证、港澳台居民居住证、外国人永久居留身份证", { id: "idle.cards" })}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-idle": KsScreenIdle;
  }
}
