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

/** Sample photos: a chip photo (102×126 WebP ≤ 1 KB) and a live photo (320×320 JPEG) of two people. */
export const FACE_FIXTURES = {
  /** Person A's chip photo. */
  chipA: fixture("london_002-chip.webp"),
  /** Person A's live photo (another picture than the chip's). */
  liveA: fixture("london_002-live.jpg"),
  /** Person B's chip photo. */
  chipB: fixture("london_004-chip.webp"),
  /** Person B's live photo. */
  liveB: fixture("london_004-live.jpg"),
} as const;
