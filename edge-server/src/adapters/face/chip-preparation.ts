/**
 * Ways of presenting the tiny chip photo (102×126) to the face detector.
 * BlazeFace looks at a 256×256 view and wants some context around a face; a
 * chip portrait is mostly face, so when detection fails on the photo as-is,
 * a border (edge pixels replicated) and/or upscaling are tried in turn.
 */
import type { ChipPreparation } from "../../ports.ts";
import type { PixelPoint } from "./face-align.ts";
import { padReplicate, resizeBilinear, type RgbImage } from "./rgb-image.ts";

/** Every preparation, in the order tried by default. */
export const CHIP_PREPARATIONS = ["as-is", "padded", "upscaled", "padded-upscaled"] as const satisfies readonly ChipPreparation[];

/** How to prepare the chip photo. */
export interface ChipPreparationOptions {
  /** Preparations to try, in order, until a face is found. */
  readonly attempts: readonly ChipPreparation[];
  /** Border added on each side by `padded`, as a fraction of the photo's longer side. */
  readonly padFraction: number;
  /** Integer scale factor of `upscaled`. */
  readonly upscale: number;
}

/** A prepared image and the map from its pixels back to the photo's. */
export interface PreparedChip {
  readonly image: RgbImage;
  readonly toPhoto: (p: PixelPoint) => PixelPoint;
}

/** Prepares `photo` for detection as `preparation` says. */
export function prepareChip(photo: RgbImage, preparation: ChipPreparation, options: ChipPreparationOptions): PreparedChip {
  const border = preparation === "padded" || preparation === "padded-upscaled" ? Math.round(options.padFraction * Math.max(photo.width, photo.height)) : 0;
  const scale = preparation === "upscaled" || preparation === "padded-upscaled" ? options.upscale : 1;
  let image = border > 0 ? padReplicate(photo, border) : photo;
  if (scale !== 1) image = resizeBilinear(image, image.width * scale, image.height * scale);
  // Pixel centres: a k-fold upscale maps p to (p + ½)·k − ½.
  return {
    image,
    toPhoto: (p) => ({ x: (p.x + 0.5) / scale - 0.5 - border, y: (p.y + 0.5) / scale - 0.5 - border }),
  };
}
