import { SESSION_PHASES, type SessionPhase } from "@kiosk/contracts";
import { localized, msg, str } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";
import { phaseText } from "../localization/texts.ts";
import { tokens } from "../styles/tokens.ts";

const PHASES = Object.keys(SESSION_PHASES) as SessionPhase[];

/** Where the applicant is in the journey: numbered phases with labels, the current one marked by shape and text, not by colour alone. */
@localized()
@customElement("ks-step-indicator")
export class KsStepIndicator extends LitElement {
  static override styles = [
    tokens,
    css`
      ol {
        display: flex;
        justify-content: center;
        gap: 8px;
        margin: 0;
        padding: 12px var(--ks-space);
        list-style: none;
      }
      li {
        display: flex;
        align-items: center;
        gap: 6px;
        padding: 6px 12px;
        font-size: var(--ks-text-small);
        color: var(--ks-color-muted);
        border: 2px solid transparent;
        border-radius: var(--ks-radius);
      }
      li[aria-current="step"] {
        color: var(--ks-color-brand);
        font-weight: bold;
        border-color: var(--ks-color-brand);
        background: var(--ks-color-surface);
      }
      .done {
        color: var(--ks-color-ok);
      }
      .number {
        display: inline-grid;
        place-items: center;
        min-width: 36px;
        height: 36px;
        border-radius: 50%;
        border: 2px solid currentColor;
      }
    `,
  ];

  /** The current phase, 1-based. */
  @property({ type: Number }) accessor index = 1;
  /** Number of phases. */
  @property({ type: Number }) accessor count = PHASES.length;
  /** False when the session ended without passing the phases before this one (a referral): they are not ticked. */
  @property({ type: Boolean }) accessor passed = true;

  override render() {
    const index = this.index;
    const count = this.count;
    const done = (i: number) => this.passed && i + 1 < index;
    return html`<nav aria-label=${msg(str`第 ${index} 步，共 ${count} 步`, { id: "steps.label" })}>
      <ol>
        ${PHASES.slice(0, count).map(
          (phase, i) =>
            html`<li class=${done(i) ? "done" : ""} aria-current=${i + 1 === index ? "step" : "false"}>
              <span class="number" aria-hidden="true">${done(i) ? "✓" : i + 1}</span>${phaseText(phase)}
            </li>`,
        )}
      </ol>
    </nav>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-step-indicator": KsStepIndicator;
  }
}
