import { voiceCaption, type SessionLanguage } from "@kiosk/contracts";
import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import "../components/ks-qr-code.ts";
import { fire } from "../events.ts";
import { attemptFailureText, cardRejectionText, outcomeText } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";
import { buttonStyles, screenStyles } from "./screen-styles.ts";
import type { ViewOf } from "./view-of.ts";

/**
 * The verdict, once saved: verified; a referral to a staff window with the
 * code in large digits and as a QR code, and in plain words why; or passed
 * with no matter pending, and what to do.
 */
@localized()
@customElement("ks-screen-result")
export class KsScreenResult extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    buttonStyles,
    css`
      .mark {
        font-size: 96px;
        line-height: 1;
      }
      .verified .mark {
        color: var(--ks-color-ok);
      }
      .referral .mark {
        color: var(--ks-color-warn);
      }
      section {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: var(--ks-space);
      }
      [data-referral-code] {
        margin: 0;
        font-family: ui-monospace, monospace;
        font-size: 96px;
        font-weight: bold;
        letter-spacing: 0.15em;
      }
      [data-card-rejections] {
        font-weight: bold;
      }
      ul {
        margin: 0;
        padding: 0 0 0 1.2em;
        text-align: start;
      }
    `,
  ];

  @property({ attribute: false }) accessor view: ViewOf<"result"> | undefined;
  @property() accessor language: SessionLanguage = "zh";

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const lang = this.language;
    return html`
      <section class=${view.kind}>
        <div class="mark" aria-hidden="true">${view.kind === "referral" ? "➜" : "✓"}</div>
        <h1>${this.#title()}</h1>
        <p>${voiceCaption(`result-${view.kind}`, lang)}</p>
        ${view.cardRejections.length > 0
          ? html`<ul data-card-rejections>
              ${view.cardRejections.map((reason) => html`<li data-reason=${reason}>${cardRejectionText(reason, lang)}</li>`)}
            </ul>`
          : nothing}
        ${view.kind !== "referral" ? nothing : html`<p class="hint" data-outcome=${view.outcome}>${outcomeText(view.outcome)}</p>`}
        ${view.referralCode
          ? html`<p>${msg("您的号码", { id: "result.code" })}</p>
              <p data-referral-code>${view.referralCode}</p>
              <ks-qr-code data-referral-qr value=${view.referralCode} label=${msg(str`号码 ${view.referralCode} 的二维码`, { id: "result.qr" })}></ks-qr-code>`
          : nothing}
        ${view.attemptFailures.length > 0
          ? html`<h2>${msg("每次刷脸的结果", { id: "result.attempts" })}</h2>
              <ul data-attempt-failures>
                ${view.attemptFailures.map((reason, i) => {
                  const n = i + 1;
                  return html`<li data-reason=${reason}>${msg(str`第 ${n} 次：`, { id: "result.attempt" })}${attemptFailureText(reason, lang)}</li>`;
                })}
              </ul>`
          : nothing}
        <button type="button" class="primary" data-event="done" @click=${() => fire(this, "ks-applicant-event", { type: "done" })}>${msg("完成", { id: "result.done" })}</button>
      </section>
    `;
  }

  #title() {
    switch (this.view?.kind) {
      case "verified":
        return msg("核验通过", { id: "result.verified" });
      case "no-matter":
        return msg("没有待确认的登记事项", { id: "result.no-matter" });
      default:
        return msg("请到窗口办理", { id: "result.referral" });
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-result": KsScreenResult;
  }
}
