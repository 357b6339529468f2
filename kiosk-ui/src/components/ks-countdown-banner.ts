import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fire } from "../events.ts";
import { buttonStyles } from "../screens/screen-styles.ts";
import { tokens } from "../styles/tokens.ts";

/**
 * The idle countdown of a screen. In its warning phase it asks "Need more
 * time?" with a big button that sends `touch`; before that it shows the
 * seconds left in a quiet line.
 */
@localized()
@customElement("ks-countdown-banner")
export class KsCountdownBanner extends LitElement {
  static override styles = [
    tokens,
    buttonStyles,
    css`
      :host {
        display: block;
      }
      .quiet {
        margin: 0;
        padding: 4px var(--ks-space);
        text-align: end;
        font-size: var(--ks-text-small);
        color: var(--ks-color-muted);
      }
      .warning {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--ks-space);
        padding: 16px var(--ks-space);
        background: #fff4d6;
        border-block: 4px solid var(--ks-color-warn);
      }
      .warning p {
        margin: 0;
        font-size: 32px;
        font-weight: bold;
      }
      button {
        min-width: 240px;
      }
    `,
  ];

  @property({ type: Number, attribute: "seconds-left" }) accessor secondsLeft = 0;
  @property({ type: Boolean }) accessor warning = false;

  override render() {
    const seconds = this.secondsLeft;
    const left = msg(str`还剩 ${seconds} 秒`, { id: "countdown.left" });
    if (!this.warning) return html`<p class="quiet">${left}</p>`;
    return html`<div class="warning">
      <p><span role="alert"><span aria-hidden="true">⚠ </span>${msg("需要更多时间吗？", { id: "countdown.question" })}</span> ${left}</p>
      <button type="button" class="primary" data-event="touch" @click=${() => fire(this, "ks-applicant-event", { type: "touch" })}>
        ${msg("继续", { id: "countdown.continue" })}
      </button>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-countdown-banner": KsCountdownBanner;
  }
}
