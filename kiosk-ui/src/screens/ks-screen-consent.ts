import { localized, msg } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement } from "lit/decorators.js";
import { fire } from "../events.ts";
import { tokens } from "../styles/tokens.ts";
import { buttonStyles, screenStyles } from "./screen-styles.ts";

/**
 * The separate notice and consent for face recognition (PIPL Arts. 14, 17,
 * 29): who processes which data, why and for how long, with "agree and
 * start" and an equally large "decline, go to a staff window".
 */
@localized()
@customElement("ks-screen-consent")
export class KsScreenConsent extends LitElement {
  static override styles = [
    tokens,
    screenStyles,
    buttonStyles,
    css`
      :host {
        justify-content: flex-start;
      }
      dl {
        display: grid;
        gap: 16px;
        margin: 0;
        max-width: 900px;
        text-align: start;
      }
      dl > div {
        padding: 16px var(--ks-space);
        background: var(--ks-color-surface);
        border-radius: var(--ks-radius);
      }
      dt {
        font-size: var(--ks-text-body);
        font-weight: bold;
      }
      dd {
        margin: 4px 0 0;
        font-size: var(--ks-text-body);
        line-height: 1.5;
      }
      .actions button {
        flex: 1 1 0;
        max-width: 440px;
      }
    `,
  ];

  override render() {
    const agree = (value: boolean) => () => fire(this, "ks-applicant-event", { type: "consent", agree: value });
    return html`
      <h1>${msg("人脸识别告知与同意", { id: "consent.title" })}</h1>
      <dl>
        <div>
          <dt>${msg("谁处理您的信息", { id: "consent.who.term" })}</dt>
          <dd>${msg("本市市场监督管理局登记机关，通过本自助终端处理。", { id: "consent.who" })}</dd>
        </div>
        <div>
          <dt>${msg("处理哪些信息", { id: "consent.what.term" })}</dt>
          <dd>${msg("身份证件上的信息（姓名、证件号码、有效期限、证件照片），以及现场拍摄的人脸图像和由此算出的人脸特征。", { id: "consent.what" })}</dd>
        </div>
        <div>
          <dt>${msg("为什么处理", { id: "consent.why.term" })}</dt>
          <dd>${msg("企业登记实名认证：核实您是证件本人，只用于本次登记事项，不作他用。", { id: "consent.why" })}</dd>
        </div>
        <div>
          <dt>${msg("保存多久", { id: "consent.how-long.term" })}</dt>
          <dd>${msg("人脸图像和人脸特征在本次办理结束时立即删除；核验结果作为登记档案的一部分保存。", { id: "consent.how-long" })}</dd>
        </div>
        <div>
          <dt>${msg("您的选择", { id: "consent.choice.term" })}</dt>
          <dd>${msg("是否同意由您决定。不同意也可以到人工窗口办理，不影响您办理业务。", { id: "consent.choice" })}</dd>
        </div>
      </dl>
      <div class="actions">
        <button type="button" class="primary" data-event="consent" data-agree="true" @click=${agree(true)}>${msg("同意并开始", { id: "consent.agree" })}</button>
        <button type="button" class="primary" data-event="consent" data-agree="false" @click=${agree(false)}>${msg("不同意，去窗口办理", { id: "consent.decline" })}</button>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-screen-consent": KsScreenConsent;
  }
}
