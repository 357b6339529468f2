/**
 * The applicant's pen path on the signature pad, as the session API takes
 * it (`SignatureInput`): integer canvas pixels, points closer than
 * {@linkcode MIN_POINT_DISTANCE_PX} to the previous one dropped, and the
 * `SIGNATURE_LIMITS` of the contract kept (what goes past them is not
 * recorded). No DOM here.
 */
import { SIGNATURE_LIMITS, type SignatureInput } from "@kiosk/contracts";

/** A point nearer than this to the last kept point of its stroke adds nothing. */
export const MIN_POINT_DISTANCE_PX = 2;

/** Records strokes on a `width` × `height` canvas (CSS pixels, whole numbers). */
export class StrokeCapture {
  readonly width: number;
  readonly height: number;
  readonly #strokes: number[][] = [];
  #current: number[] | undefined;
  #points = 0;

  /** @throws {RangeError} when a side is not a whole number from 1 to `SIGNATURE_LIMITS.maxCanvasPx`. */
  constructor(width: number, height: number) {
    for (const side of [width, height]) {
      if (!Number.isInteger(side) || side < 1 || side > SIGNATURE_LIMITS.maxCanvasPx) {
        throw new RangeError(`Canvas side "${side}" is not a whole number from 1 to ${SIGNATURE_LIMITS.maxCanvasPx}`);
      }
    }
    this.width = width;
    this.height = height;
  }

  /** True when nothing is recorded. */
  get empty(): boolean {
    return this.#strokes.length === 0;
  }

  /** The strokes so far, each a flat `[x0, y0, x1, y1, …]` list. */
  get strokes(): readonly (readonly number[])[] {
    return this.#strokes;
  }

  /** The pen touches the canvas at (`x`, `y`): a new stroke, unless the stroke limit is reached. */
  down(x: number, y: number): void {
    this.#current = undefined;
    if (this.#strokes.length >= SIGNATURE_LIMITS.maxStrokes || this.#points >= SIGNATURE_LIMITS.maxPoints) return;
    this.#current = [];
    this.#strokes.push(this.#current);
    this.#add(x, y);
  }

  /** The pen moves to (`x`, `y`) while touching. */
  move(x: number, y: number): void {
    if (!this.#current) return;
    const n = this.#current.length;
    const px = this.#clamp(x, this.width);
    const py = this.#clamp(y, this.height);
    if (Math.hypot(px - (this.#current[n - 2] as number), py - (this.#current[n - 1] as number)) < MIN_POINT_DISTANCE_PX) return;
    if (n / 2 >= SIGNATURE_LIMITS.maxStrokePoints || this.#points >= SIGNATURE_LIMITS.maxPoints) return;
    this.#add(x, y);
  }

  /** The pen leaves the canvas. */
  up(): void {
    this.#current = undefined;
  }

  /** Forgets every stroke. */
  clear(): void {
    this.#strokes.length = 0;
    this.#current = undefined;
    this.#points = 0;
  }

  /** The signature to send, or undefined when nothing is drawn. */
  toInput(): SignatureInput | undefined {
    if (this.empty) return undefined;
    return { width: this.width, height: this.height, strokes: this.#strokes.map((stroke) => [...stroke]) };
  }

  #add(x: number, y: number): void {
    this.#current?.push(this.#clamp(x, this.width), this.#clamp(y, this.height));
    this.#points++;
  }

  #clamp(value: number, max: number): number {
    return Math.min(max, Math.max(0, Math.round(value)));
  }
}
