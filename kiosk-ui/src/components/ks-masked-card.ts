import { localized } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { cardTypeText, type CardType } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";

/** The card being used, as one line: its type and the masked number (4 + ******** + 4); nothing else of it. */
@localized()
@customElement("ks-masked-card")
export class KsMaskedCard extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: inline-block;
        padding: 8px var(--ks-space);
        font-size: var(--ks-text-body);
        background: var(--ks-color-surface);
        border: 2px solid var(--ks-color-muted);
        border-radius: var(--ks-radius);
      }
      .number {
        font-family: ui-monospace, monospace;
        letter-spacing: 0.08em;
      }
    `,
  ];

  @property({ attribute: "card-type" }) accessor cardType: CardType = "resident";
  @property({ attribute: "masked-id-number" }) accessor maskedIdNumber = "";

  override render() {
    return html`<span>${cardTypeText(this.cardType)}</span>
      <span class="number">${this.maskedIdNumber}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-masked-card": KsMaskedCard;
  }
}
