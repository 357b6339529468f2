import type { SessionLanguage } from "@kiosk/contracts";
import { localized, msg, str } from "@lit/localize";
import { LitElement, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { fire } from "../events.ts";
import { attemptFailureText } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";
import { buttonStyles, screenStyles } from "./screen-styles.ts";
import type { ViewOf } from "./view-of.ts";

/** A face attempt failed: why, and the choice to try again or go to a staff window. */
@localized()
@customElement("ks-screen-face-retry")
export class KsScreenFaceRetry extends LitElement {
  static override styles = [tokens, screenStyles, buttonStyles];

  @property({ attribute: false }) accessor view: ViewOf<"face-retry"> | undefined;
  @property() accessor language: SessionLanguage = "zh";

  override render() {
    const view = this.view;
    if (!view) return nothing;
    const { attempt, maxAttempts } = view;
    return html`
      <h1>${msg("这次没有通过", { id: "face-retry.title" })}</h1>
      <p data-reason=${view.reason}><strong>${attemptFailureText(view.reason, this.language)}</strong></p>
      <p class="hint">${msg(str`已试 ${attempt} 次，最多 ${maxAttempts} 次`, { id: "face-retry.attempts" })}</p>
      <div class="actions">
        <button type="button" class="primary" data-event="retry-face" @click=${() => fire(this, "ks-applicant-event", { type: "retry-face" })}>
          ${msg("再试一次", { id: "face-retry.retry" })}
        </button>
        <button type="button" class="secondary" data-event="ask-for-staff" @click=${() => fire(this, "ks-applicant-event", { type: "ask-for-staff" })}>
          ${msg("去窗口办理", { id: "face-retry.staff" })}
        </button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-face-retry": KsScreenFaceRetry;
  }
}
