import { localized, msg } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { faultText, type OutOfServiceFault } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";
import { screenStyles } from "./screen-styles.ts";

/** Shown when a device or the kiosk service is down: sends applicants to a staff window, and says what is down. */
@localized()
@customElement("ks-screen-out-of-service")
export class KsScreenOutOfService extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    css`
      h1 {
        color: var(--ks-color-danger);
      }
      ul {
        margin: 0;
        padding: 0;
        list-style: none;
      }
    `,
  ];

  /** What is down. */
  @property({ attribute: false }) accessor faults: readonly OutOfServiceFault[] = ["server"];

  override render() {
    return html`
      <h1><span aria-hidden="true">⚠ </span>${msg("本机暂停服务", { id: "oos.title" })}</h1>
      <p>${msg("请到人工窗口办理实名核验，给您带来不便，敬请谅解", { id: "oos.body" })}</p>
      <ul>
        ${this.faults.map((fault) => html`<li class="hint" data-fault=${fault}>${faultText(fault)}</li>`)}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-out-of-service": KsScreenOutOfService;
  }
}
