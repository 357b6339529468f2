/**
 * Made-up on-screen signatures for tests, benchmarks and the sync harness.
 */
import type { Signature } from "../verification-result.ts";

/** Options of {@linkcode sampleSignature}. */
export interface SampleSignatureOptions {
  /** Number of strokes; default 3. */
  readonly strokes?: number;
  /** Points of each stroke; default 100. */
  readonly pointsPerStroke?: number;
  /** Default `2026-01-01T00:00:55.000Z`. */
  readonly capturedAt?: string;
}

const WIDTH = 1000;
const HEIGHT = 400;

/**
 * A signature of wavy strokes side by side on a 1000×400 canvas, the size
 * of one a person signs on the kiosk (300 points by default). The same
 * options give the same signature.
 */
export function sampleSignature(options: SampleSignatureOptions = {}): Signature {
  const strokes = options.strokes ?? 3;
  const points = options.pointsPerStroke ?? 100;
  const span = WIDTH / strokes;
  return {
    width: WIDTH,
    height: HEIGHT,
    strokes: Array.from({ length: strokes }, (_, s) =>
      Array.from({ length: points }, (_, p) => {
        const t = points === 1 ? 0 : p / (points - 1);
        return [Math.round(s * span + t * (span - 1)), Math.round(HEIGHT / 2 + (HEIGHT / 3) * Math.sin(t * 4 * Math.PI + s))];
      }).flat(),
    ),
    capturedAt: options.capturedAt ?? "2026-01-01T00:00:55.000Z",
  };
}
