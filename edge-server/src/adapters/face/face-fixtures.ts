/**
 * Paths of the CC BY sample photos shipped in `testdata/` (Face Research Lab
 * London Set, see `testdata/ATTRIBUTION.md`). Tests use them as a known
 * same-person pair and a different person; `./kiosk bench face` builds its
 * camera frames from one of them.
 */
import { fileURLToPath } from "node:url";

function fixture(name: string): string {
  return fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
}

/**
 * Sample photos of two people: a chip photo (102×126 WebP ≤ 1 KB) and two
 * live photos (320×320 JPEG). The smiling live photo is the picture the chip
 * photo was cut from: never pair it with that person's chip as a genuine pair.
 */
export const FACE_FIXTURES = {
  /** Person A's chip photo. */
  chipA: fixture("london_002-chip.webp"),
  /** Person A's live photo (another picture than the chip's). */
  liveA: fixture("london_002-live.jpg"),
  /** Person B's chip photo. */
  chipB: fixture("london_004-chip.webp"),
  /** Person B's live photo. */
  liveB: fixture("london_004-live.jpg"),
  /** Person A's smiling live photo (the chip photo's picture). */
  liveASmiling: fixture("london_002-live-smiling.jpg"),
  /** Person B's smiling live photo (the chip photo's picture). */
  liveBSmiling: fixture("london_004-live-smiling.jpg"),
} as const;
