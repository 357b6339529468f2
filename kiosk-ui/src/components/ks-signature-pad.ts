import { localized, msg } from "@lit/localize";
import { LitElement, css, html } from "lit";
import { customElement, query, state } from "lit/decorators.js";
import { fire } from "../events.ts";
import { buttonStyles } from "../screens/screen-styles.ts";
import { StrokeCapture } from "../signature/stroke-capture.ts";
import { tokens } from "../styles/tokens.ts";

/** Size of the signing canvas, in CSS pixels. */
const PAD = { width: 960, height: 420 } as const;

/**
 * The signature pad: the applicant draws with a finger; "clear" starts over
 * and "confirm" (enabled once something is drawn) fires `ks-signature` with
 * the strokes.
 */
@localized()
@customElement("ks-signature-pad")
export class KsSignaturePad extends LitElement {
  static override styles = [
    tokens,
    buttonStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        align-items: center;
        gap: var(--ks-space);
      }
      canvas {
        width: ${PAD.width}px;
        height: ${PAD.height}px;
        max-width: 100%;
        background: var(--ks-color-surface);
        border: 4px dashed var(--ks-color-brand);
        border-radius: var(--ks-radius);
        touch-action: none;
      }
      .actions {
        display: flex;
        gap: var(--ks-space);
      }
    `,
  ];

  @query("canvas") private accessor _canvas!: HTMLCanvasElement;
  @state() private accessor _empty = true;
  readonly #capture = new StrokeCapture(PAD.width, PAD.height);

  override render() {
    return html`
      <canvas data-signature-pad width=${PAD.width} height=${PAD.height} role="img" aria-label=${msg("签名框", { id: "signature.pad" })}
        @pointerdown=${this.#down} @pointermove=${this.#move} @pointerup=${this.#up} @pointercancel=${this.#up}></canvas>
      <div class="actions">
        <button type="button" class="secondary" data-action="clear-signature" ?disabled=${this._empty} @click=${this.#clear}>
          ${msg("重新签", { id: "signature.clear" })}
        </button>
        <button type="button" class="primary" data-action="submit-signature" ?disabled=${this._empty} @click=${this.#submit}>
          ${msg("确认", { id: "signature.submit" })}
        </button>
      </div>
    `;
  }

  #point(event: PointerEvent): [number, number] {
    const box = this._canvas.getBoundingClientRect();
    return [((event.clientX - box.left) * PAD.width) / box.width, ((event.clientY - box.top) * PAD.height) / box.height];
  }

  readonly #down = (event: PointerEvent) => {
    this._canvas.setPointerCapture(event.pointerId);
    this.#capture.down(...this.#point(event));
    this._empty = this.#capture.empty;
    this.#draw();
  };

  readonly #move = (event: PointerEvent) => {
    if (!this._canvas.hasPointerCapture(event.pointerId)) return;
    this.#capture.move(...this.#point(event));
    this.#draw();
  };

  readonly #up = () => {
    this.#capture.up();
  };

  readonly #clear = () => {
    this.#capture.clear();
    this._empty = true;
    this.#draw();
  };

  readonly #submit = () => {
    const input = this.#capture.toInput();
    if (input) fire(this, "ks-signature", input);
  };

  #draw(): void {
    const context = this._canvas.getContext("2d");
    if (!context) return;
    context.clearRect(0, 0, PAD.width, PAD.height);
    context.lineWidth = 5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = "#1a1a1a";
    for (const stroke of this.#capture.strokes) {
      context.beginPath();
      context.moveTo(stroke[0] as number, stroke[1] as number);
      // A tap is a dot: a line to the same point draws one with round caps.
      for (let i = 0; i < stroke.length; i += 2) context.lineTo(stroke[i] as number, stroke[i + 1] as number);
      context.stroke();
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "ks-signature-pad": KsSignaturePad;
  }
}
