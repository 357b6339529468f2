import type { SessionLanguage } from "@kiosk/contracts";
import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { fire } from "../events.ts";
import { htmlLang } from "../localization/locale.ts";
import { tokens } from "../styles/tokens.ts";
import { buttonStyles, screenStyles } from "./screen-styles.ts";

const CHOICES: readonly { readonly language: SessionLanguage; readonly name: string }[] = [
  { language: "zh", name: "中文" },
  { language: "en", name: "English" },
];

/** The language choice, written in both languages: the applicant may read only one of them. */
@customElement("ks-screen-language")
export class KsScreenLanguage extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    buttonStyles,
    css`
      button {
        min-width: 440px;
        min-height: 140px;
        font-size: 48px;
      }
    `,
  ];

  override render() {
    return html`
      <h1><span lang="zh-CN">请选择语言</span><br /><span lang="en">Please choose your language</span></h1>
      <div class="actions">
        ${CHOICES.map(
          ({ language, name }) =>
            html`<button type="button" class="primary" lang=${htmlLang(language)} data-event="choose-language" data-language=${language}
              @click=${() => fire(this, "ks-applicant-event", { type: "choose-language", language })}>${name}</button>`,
        )}
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-language": KsScreenLanguage;
  }
}
