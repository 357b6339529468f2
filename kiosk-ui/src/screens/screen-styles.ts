import { css } from "lit";

/** Layout shared by the full-screen steps: a centred column with a big title. */
export const screenStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--ks-space);
    padding: calc(var(--ks-space) * 2);
    text-align: center;
    min-height: 100%;
    box-sizing: border-box;
  }
  h1 {
    margin: 0;
    font-size: var(--ks-text-title);
    line-height: 1.3;
  }
  h2 {
    margin: 0;
    font-size: 32px;
  }
  p,
  li {
    margin: 0;
    max-width: 40ch;
    font-size: var(--ks-text-body);
    line-height: 1.5;
  }
  .hint {
    color: var(--ks-color-muted);
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: var(--ks-space);
    width: 100%;
  }
`;

/** Big touch buttons: `primary` (filled) and `secondary` (outlined, equally large). */
export const buttonStyles = css`
  button {
    min-width: 320px;
    min-height: 96px;
    padding: 0 calc(var(--ks-space) * 1.5);
    font: inherit;
    font-size: 32px;
    font-weight: bold;
    border-radius: var(--ks-radius);
    border: 4px solid var(--ks-color-brand);
    cursor: pointer;
  }
  button.primary {
    color: var(--ks-color-brand-ink);
    background: var(--ks-color-brand);
  }
  button.secondary {
    color: var(--ks-color-brand);
    background: var(--ks-color-surface);
  }
  button:disabled {
    color: var(--ks-color-muted);
    background: var(--ks-color-page);
    border-color: var(--ks-color-muted);
    border-style: dashed;
    cursor: not-allowed;
  }
  button:focus-visible {
    outline: 6px solid var(--ks-color-focus);
    outline-offset: 4px;
  }
`;

/** A turning ring for busy steps (still for those who ask for reduced motion). */
export const busyStyles = css`
    .spinner {
      width: 160px;
      height: 160px;
      border-radius: 50%;
      border: 16px solid #cfdced;
      border-top-color: var(--ks-color-brand);
      animation: turn 1s linear infinite;
    }
    @keyframes turn {
      to {
        transform: rotate(360deg);
      }
    }
    @media (prefers-reduced-motion: reduce) {
      .spinner {
        animation: none;
      }
    }
`;
