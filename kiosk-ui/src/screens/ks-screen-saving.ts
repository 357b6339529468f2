import { localized, msg } from "@lit/localize";
import { LitElement, html } from "lit";
import { customElement } from "lit/decorators.js";
import { tokens } from "../styles/tokens.ts";
import { busyStyles, screenStyles } from "./screen-styles.ts";

/** The result is being saved. */
@localized()
@customElement("ks-screen-saving")
export class KsScreenSaving extends LitElement {
  static override styles = [tokens, screenStyles, busyStyles];

  override render() {
    return html`
      <div class="spinner" role="progressbar" aria-label=${msg("正在保存", { id: "saving.busy" })}></div>
      <h1>${msg("正在保存核验结果，请稍候", { id: "saving.title" })}</h1>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-saving": KsScreenSaving;
  }
}
