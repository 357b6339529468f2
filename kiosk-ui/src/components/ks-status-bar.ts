import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { t, type Lang } from "../i18n.ts";
import { tokens } from "../styles/tokens.ts";

/** Whether the kiosk reaches the central office: `unknown` while its own service is starting or not answering. */
export type CentralConnection = "online" | "offline" | "unknown";

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
  /** Empty until the kiosk service has said which kiosk this is. */
  @property({ attribute: "kiosk-id" }) accessor kioskId = "";
  /** Whether the kiosk reaches the central office; nothing is shown while that is not known. */
  @property() accessor connection: CentralConnection = "unknown";

  override render() {
    return html`<span>${this.kioskId ? `${t(this.locale, "status.kiosk")} ${this.kioskId}` : nothing}</span>
      <span class=${this.connection} role="status">${this.connection === "unknown" ? nothing : t(this.locale, this.connection === "online" ? "status.online" : "status.offline")}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-status-bar": KsStatusBar;
  }
}
