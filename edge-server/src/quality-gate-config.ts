/**
 * Settings of the capture-quality gate (`face.quality`): the limits a camera
 * frame must meet before it is used for matching, and otherwise the guidance
 * shown to the applicant. The defaults were measured with the real engine on
 * the CC BY fixture photos placed in 640×480 frames and transformed
 * (`adapters/face/face-sequence.test.ts`), and on 52 photos of 26 subjects of
 * the same CC BY London Set (every 4th subject, neutral and smiling, face
 * about 290 px in a 640×480 frame: 51 pass, one smiling squint reads
 * eyes-closed at 0.25, none at the default 0.22); each description gives the
 * measured values next to the default.
 *
 * This module imports only zod, so provisioning can read the schema.
 */
import { z } from "zod";

/** Schema of the `face.quality` settings. */
export const qualityGateConfigSchema = z.object({
  minFaceSizePx: z
    .number()
    .int()
    .min(32)
    .max(2000)
    .default(150)
    .meta({
      description:
        "Smallest face (longer side of its box, in pixels) accepted; smaller gives too-far. Fixture faces measure 170–320 px, a photo shrunk to 160 px measures 105 px; human's faceid demo asks for 224 px",
    }),
  maxFaceFraction: z
    .number()
    .min(0.1)
    .max(2)
    .default(0.8)
    .meta({
      description:
        "Largest face, as a fraction of the frame's shorter side; larger gives too-close (the face runs off the frame). Normal framing measures 0.44–0.65, an over-close crop 0.92–1.3",
    }),
  maxCentreOffset: z
    .number()
    .min(0)
    .max(0.5)
    .default(0.2)
    .meta({
      description:
        "Largest distance of the face centre from the frame centre, as a fraction of the frame's width or height; larger gives off-center. Centred faces measure below 0.04, a face at the side 0.3",
    }),
  maxYawDeg: z
    .number()
    .min(0)
    .max(90)
    .default(20)
    .meta({ description: "Largest head turn in degrees; more gives face-the-camera. Frontal fixtures measure within ±3.6°" }),
  maxPitchDeg: z
    .number()
    .min(0)
    .max(90)
    .default(15)
    .meta({ description: "Largest nod up or down in degrees; more gives face-the-camera. Frontal fixtures measure within ±3.7°" }),
  maxRollDeg: z
    .number()
    .min(0)
    .max(90)
    .default(15)
    .meta({ description: "Largest tilt towards a shoulder in degrees; more gives face-the-camera. Upright fixtures measure within ±2.5°, a 30° rotated frame 29.8°" }),
  minBrightness: z
    .number()
    .min(0)
    .max(255)
    .default(70)
    .meta({
      description: "Lowest mean luma (0–255) of the face box; lower gives too-dark. London photos measure 127–178; darkened to 35 % a fixture measures 61, to 20 % 35",
    }),
  maxBrightness: z
    .number()
    .min(0)
    .max(255)
    .default(220)
    .meta({ description: "Highest mean luma (0–255) of the face box; higher gives too-bright. Fixtures measure 147–175, an overexposed frame 249" }),
  minSharpness: z
    .number()
    .min(0)
    .default(40)
    .meta({
      description:
        "Lowest variance of the Laplacian of the face resampled to 112 px (luma²); lower gives blurry. Sharp London photos measure 630–2850; Gaussian blur σ 1.5 px gives 99–127, σ 2 53–68, σ 2.5 32–41, σ 3 25",
    }),
  minEyeOpenness: z
    .number()
    .min(0)
    .max(1)
    .default(0.22)
    .meta({
      description:
        "Lowest mean eye openness (lid gap over eye width) of both eyes; lower gives eyes-closed. Open eyes of 52 London photos measure 0.235–0.47 (10th percentile 0.31; the lowest is a smiling squint), the same eyes painted shut 0.10–0.20. Re-check on narrow or hooded eyes before go-live",
    }),
  bystanderMinSizeRatio: z
    .number()
    .min(0)
    .max(1)
    .default(0.4)
    .meta({
      description:
        "Another face counts as a second person (multiple-faces) when its size is at least this fraction of the applicant's; smaller faces are people far behind and are ignored",
    }),
});

/** The validated `face.quality` settings. */
export type QualityGateConfig = z.output<typeof qualityGateConfigSchema>;
