import type { PreviewFrame } from "@kiosk/contracts";
import { localized, msg } from "@lit/localize";
import { LitElement, css, html, nothing, svg } from "lit";
import { customElement, property } from "lit/decorators.js";
import { tokens } from "../styles/tokens.ts";

/**
 * The live camera preview, mirrored like a looking glass, with the
 * face-guide oval the applicant fits their face into and the box of the face
 * the kiosk sees. Without a frame it shows the oval on a dark ground.
 */
@localized()
@customElement("ks-camera-preview")
export class KsCameraPreview extends LitElement {
  static override styles = [
    tokens,
    css`
      :host {
        display: block;
        position: relative;
        width: 600px;
        height: 800px;
        max-width: 100%;
        overflow: hidden;
        border-radius: var(--ks-radius);
        background: #1a1a1a;
      }
      img,
      svg {
        position: absolute;
        inset: 0;
        width: 100%;
        height: 100%;
        object-fit: cover;
        transform: scaleX(-1);
      }
    `,
  ];

  /** The latest frame, or none yet. */
  @property({ attribute: false }) accessor frame: PreviewFrame | undefined;

  override render() {
    const frame = this.frame;
    const width = frame?.width ?? 600;
    const height = frame?.height ?? 800;
    return html`
      ${frame ? html`<img alt="" src=${`data:image/jpeg;base64,${frame.jpeg}`} data-frame-at=${frame.atMs} />` : nothing}
      <svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="xMidYMid slice" role="img" aria-label=${msg("请把脸放在椭圆框内", { id: "preview.oval" })}>
        <ellipse cx=${width / 2} cy=${height * 0.45} rx=${width * 0.3} ry=${height * 0.33} fill="none" stroke="#ffffff" stroke-width="6" stroke-dasharray="18 10" />
        ${frame?.face
          ? svg`<rect data-face-box x=${frame.face.x} y=${frame.face.y} width=${frame.face.width} height=${frame.face.height} fill="none" stroke=${frame.guidance ? "#ffb000" : "#3fd07a"} stroke-width="4" />`
          : nothing}
      </svg>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-camera-preview": KsCameraPreview;
  }
}
