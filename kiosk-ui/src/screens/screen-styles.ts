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
  p {
    margin: 0;
    max-width: 40ch;
    font-size: var(--ks-text-body);
    line-height: 1.5;
  }
  .hint {
    color: var(--ks-color-muted);
  }
`;
