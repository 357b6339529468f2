import { html, type TemplateResult } from "lit";

/** The picture of an ID card going down onto the reader, shown on the attract and place-card screens. */
export function cardOnReader(width: number, height: number): TemplateResult {
  return html`<svg class="card-on-reader" width=${width} height=${height} viewBox="0 0 240 230" aria-hidden="true">
    <rect x="20" y="10" width="200" height="126" rx="12" fill="#ffffff" stroke="#0b4f9c" stroke-width="6" />
    <rect x="40" y="36" width="54" height="70" rx="6" fill="#cfdced" />
    <rect x="108" y="40" width="92" height="10" rx="5" fill="#cfdced" />
    <rect x="108" y="62" width="72" height="10" rx="5" fill="#cfdced" />
    <path d="M120 156 v56 M94 188 l26 26 l26 -26" fill="none" stroke="#0b4f9c" stroke-width="10" stroke-linecap="round" stroke-linejoin="round" />
  </svg>`;
}
