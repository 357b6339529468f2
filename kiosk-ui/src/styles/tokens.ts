import { css } from "lit";

/**
 * Design tokens. Sizes follow age-friendly kiosk norms: every text at least
 * 24 px, touch targets of at least 64 px, contrast of at least 4.5:1.
 */
export const tokens = css`
  :host {
    --ks-color-brand: #0b4f9c;
    --ks-color-brand-ink: #ffffff;
    --ks-color-ink: #1a1a1a;
    --ks-color-muted: #4a4a4a;
    --ks-color-surface: #ffffff;
    --ks-color-page: #eef3f9;
    --ks-color-danger: #a11a1a;
    --ks-color-ok: #17622e;
    --ks-color-warn: #8a5a00;
    --ks-color-focus: #e07b00;
    --ks-font: "Noto Sans CJK SC", "Source Han Sans SC", system-ui, sans-serif;
    --ks-text-body: 26px;
    --ks-text-title: 44px;
    --ks-text-small: 24px;
    --ks-touch-min: 64px;
    --ks-space: 24px;
    --ks-radius: 16px;
    font-family: var(--ks-font);
    color: var(--ks-color-ink);
  }
`;
