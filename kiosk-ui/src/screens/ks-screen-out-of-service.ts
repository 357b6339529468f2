import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { t, type Lang, type MessageKey } from "../i18n.ts";
import { tokens } from "../styles/tokens.ts";
import { screenStyles } from "./screen-styles.ts";

/** Why the kiosk cannot serve: drives the line under the title. */
export type OutOfServiceReason = "reader" | "camera" | "server";

const REASON_TEXT: Record<OutOfServiceReason, MessageKey> = {
  reader: "oos.reader",
  camera: "oos.camera",
  server: "oos.server",
};

/** Shown when a device or the kiosk service is down: sends applicants to a staff window. */
@customElement("ks-screen-out-of-service")
export class KsScreenOutOfService extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    css`
      h1 {
        color: var(--ks-color-danger);
      }
    `,
  ];

  @property() accessor locale: Lang = "zh";
  @property() accessor reason: OutOfServiceReason = "server";

  override render() {
    return html`
      <h1>${t(this.locale, "oos.title")}</h1>
      <p>${t(this.locale, "oos.body")}</p>
      <p class="hint" data-reason=${this.reason}>${t(this.locale, REASON_TEXT[this.reason])}</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-out-of-service": KsScreenOutOfService;
  }
}
