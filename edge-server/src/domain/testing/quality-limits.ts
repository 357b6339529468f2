import type { QualityThresholds } from "../quality-gate.ts";

/** Quality-gate limits for domain tests: round numbers near the shipped defaults. */
export const TEST_QUALITY_LIMITS: QualityThresholds = {
  minFaceSizePx: 150,
  maxFaceFraction: 0.8,
  maxCentreOffset: 0.2,
  maxYawDeg: 20,
  maxPitchDeg: 15,
  maxRollDeg: 15,
  minBrightness: 70,
  maxBrightness: 220,
  minSharpness: 40,
  minEyeOpenness: 0.22,
  bystanderMinSizeRatio: 0.4,
};
