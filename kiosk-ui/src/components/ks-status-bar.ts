import { localized, msg } from "@lit/localize";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { tokens } from "../styles/tokens.ts";

/** Whether the kiosk reaches the central office: `unknown` while its own service is starting or not answering. */
export type CentralConnection = "online" | "offline" | "unknown";

/** The footer: which kiosk this is and whether it reaches the central office. */
@localized()
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

  /** Empty until the kiosk service has said which kiosk this is. */
  @property({ attribute: "kiosk-id" }) accessor kioskId = "";
  /** Whether the kiosk reaches the central office; nothing is shown while that is not known. */
  @property() accessor connection: CentralConnection = "unknown";

  override render() {
    return html`<span>${this.kioskId ? `${msg("终端编号", { id: "status.kiosk" })} ${this.kioskId}` : nothing}</span>
      <span class=${this.connection} role="status">${this.connection === "unknown" ? nothing : this.connection === "online" ? msg("已连接", { id: "status.online" }) : msg("离线工作中", { id: "status.offline" })}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-status-bar": KsStatusBar;
  }
}
