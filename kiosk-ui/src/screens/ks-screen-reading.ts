import { localized, msg } from "@lit/localize";
import { LitElement, html } from "lit";
import { customElement } from "lit/decorators.js";
import { tokens } from "../styles/tokens.ts";
import { busyStyles, screenStyles } from "./screen-styles.ts";

/** The card is being read: keep it still. */
@localized()
@customElement("ks-screen-reading")
export class KsScreenReading extends LitElement {
  static override styles = [tokens, screenStyles, busyStyles];

  override render() {
    return html`
      <div class="spinner" role="progressbar" aria-label=${msg("正在读卡", { id: "reading.busy" })}></div>
      <h1>${msg("正在读卡，请不要移动证件", { id: "reading.title" })}</h1>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-reading": KsScreenReading;
  }
}
