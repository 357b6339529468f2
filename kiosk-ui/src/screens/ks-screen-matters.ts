import { localized, msg } from "@lit/localize";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import "../components/ks-masked-card.ts";
import { fire } from "../events.ts";
import { matterKindText, roleText } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";
import { busyStyles, buttonStyles, screenStyles } from "./screen-styles.ts";
import type { ViewOf } from "./view-of.ts";

/** The applicant's pending matters: confirm each one they are here for, then continue (disabled until one is confirmed). */
@localized()
@customElement("ks-screen-matters")
export class KsScreenMatters extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    buttonStyles,
    busyStyles,
    css`
      :host {
        justify-content: flex-start;
      }
      ul {
        display: grid;
        gap: var(--ks-space);
        width: 100%;
        max-width: 960px;
        margin: 0;
        padding: 0;
        list-style: none;
      }
      li {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--ks-space);
        max-width: none;
        padding: var(--ks-space);
        text-align: start;
        background: var(--ks-color-surface);
        border: 4px solid var(--ks-color-muted);
        border-radius: var(--ks-radius);
      }
      li.confirmed {
        border-color: var(--ks-color-ok);
      }
      h2 {
        font-size: 32px;
      }
      li p {
        margin-top: 8px;
      }
      li button {
        min-width: 260px;
      }
      button[aria-pressed="true"] {
        color: var(--ks-color-brand-ink);
        background: var(--ks-color-ok);
        border-color: var(--ks-color-ok);
      }
    `,
  ];

  @property({ attribute: false }) accessor view: ViewOf<"matters"> | undefined;

  override render() {
    const view = this.view;
    if (!view) return nothing;
    return html`
      <h1>${msg("请确认您要办理的登记事项", { id: "matters.title" })}</h1>
      <ks-masked-card card-type=${view.card.cardType} masked-id-number=${view.card.maskedIdNumber}></ks-masked-card>
      ${view.matters === null
        ? html`<div class="spinner" role="progressbar" aria-label=${msg("正在查找您的登记事项", { id: "matters.loading" })}></div>
            <p>${msg("正在查找您的登记事项", { id: "matters.loading" })}</p>`
        : html`<p>${msg("请逐项确认是您本人要办理的事项。", { id: "matters.body" })}</p>
            <ul>
              ${view.matters.map(
                (matter) => html`<li class=${matter.confirmed ? "confirmed" : ""}>
                  <div>
                    <h2>${matter.companyName}</h2>
                    <p>${matterKindText(matter.kind)} · ${msg("您的身份：", { id: "matters.roles" })}${matter.roles.map(roleText).join("、")}</p>
                  </div>
                  <button type="button" class="secondary" data-event="toggle-matter" data-matter-id=${matter.matterId} aria-pressed=${matter.confirmed ? "true" : "false"}
                    @click=${() => fire(this, "ks-applicant-event", { type: "toggle-matter", matterId: matter.matterId, confirmed: !matter.confirmed })}>
                    ${matter.confirmed ? html`✓ ${msg("已确认", { id: "matters.confirmed" })}` : msg("确认", { id: "matters.confirm" })}
                  </button>
                </li>`,
              )}
            </ul>
            <button type="button" class="primary" data-event="confirm-matters" ?disabled=${!view.canContinue}
              @click=${() => fire(this, "ks-applicant-event", { type: "confirm-matters" })}>${msg("下一步：签名", { id: "matters.continue" })}</button>
            ${view.canContinue ? nothing : html`<p class="hint">${msg("请至少确认一项", { id: "matters.need-one" })}</p>`}`}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-matters": KsScreenMatters;
  }
}
