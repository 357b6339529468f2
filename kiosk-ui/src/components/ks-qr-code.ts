import encodeQR from "@paulmillr/qr";
import { LitElement, css, html, svg } from "lit";
import { customElement, property } from "lit/decorators.js";

/** A QR code of `value`, drawn as SVG squares with a quiet zone, for a staff window's scanner. */
@customElement("ks-qr-code")
export class KsQrCode extends LitElement {
  static override styles = css`
    :host {
      display: inline-block;
      width: 280px;
      height: 280px;
      background: #ffffff;
    }
    svg {
      width: 100%;
      height: 100%;
    }
  `;

  @property() accessor value = "";
  /** What the code holds, for those who cannot see it. */
  @property() accessor label = "";

  override render() {
    const modules = encodeQR(this.value, "raw", { ecc: "medium", border: 4 });
    const size = modules.length;
    const path = modules.flatMap((row, y) => row.map((on, x) => (on ? `M${x} ${y}h1v1h-1z` : ""))).join("");
    return html`<svg viewBox="0 0 ${size} ${size}" shape-rendering="crispEdges" role="img" aria-label=${this.label}>
      ${svg`<rect width=${size} height=${size} fill="#ffffff" /><path d=${path} fill="#000000" />`}
    </svg>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-qr-code": KsQrCode;
  }
}
