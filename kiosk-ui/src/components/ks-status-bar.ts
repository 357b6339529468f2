import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { t, type Lang } from "../i18n.ts";
import { tokens } from "../styles/tokens.ts";

/** The footer: which kiosk this is and whether it reaches the central office. */
@customElement("ks-status-bar")
export class KsStatusBar extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: flex;
        justify-content: space-between;
        padding: 12px var(--ks-space);
        font-size: var(--ks-text-small);
        color: var(--ks-color-muted);
      }
      .online { color: var(--ks-color-ok); }
      .offline { color: var(--ks-color-warn); }
    `,
  ];

  @property() accessor locale: Lang = "zh";
  @property({ attribute: "kiosk-id" }) accessor kioskId = "";
  @property({ type: Boolean }) accessor online = true;

  override render() {
    return html`<span>${t(this.locale, "status.kiosk")} ${this.kioskId}</span>
      <span class=${this.online ? "online" : "offline"} role="status">${t(this.locale, this.online ? "status.online" : "status.offline")}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-status-bar": KsStatusBar;
  }
}
