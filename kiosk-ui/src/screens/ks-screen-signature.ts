import { localized, msg } from "@lit/localize";
import { LitElement, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import "../components/ks-masked-card.ts";
import "../components/ks-signature-pad.ts";
import { tokens } from "../styles/tokens.ts";
import { screenStyles } from "./screen-styles.ts";
import type { ViewOf } from "./view-of.ts";

/** The applicant signs with a finger inside the box, then confirms. */
@localized()
@customElement("ks-screen-signature")
export class KsScreenSignature extends LitElement {
  static override styles = [tokens, screenStyles];

  @property({ attribute: false }) accessor view: ViewOf<"signature"> | undefined;

  override render() {
    const view = this.view;
    if (!view) return nothing;
    return html`
      <h1>${msg("请在框内签名", { id: "signature.title" })}</h1>
      <p>${msg("用手指写下您的姓名，写好后点“确认”。", { id: "signature.body" })}</p>
      <ks-signature-pad></ks-signature-pad>
      <ks-masked-card card-type=${view.card.cardType} masked-id-number=${view.card.maskedIdNumber}></ks-masked-card>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-signature": KsScreenSignature;
  }
}
