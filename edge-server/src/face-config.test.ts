import { describe, expect, test } from "bun:test";
import { describeConfig, isKioskError, loadConfig } from "@kiosk/contracts";
import { faceEmbeddingModel } from "./adapters/face/create-face-engine.ts";
import { DEFAULT_FACE_MODEL_ID, DEFAULT_FACE_THRESHOLD, DEFAULT_MATCH_FRAMES, defaultFaceConfig, faceConfigSchema } from "./face-config.ts";

describe("faceConfigSchema", () => {
  test("the default threshold is calibrated for exactly the model the default settings produce", () => {
    const config = defaultFaceConfig();
    expect(config.threshold).toEqual({ value: DEFAULT_FACE_THRESHOLD, model: DEFAULT_FACE_MODEL_ID });
    expect(faceEmbeddingModel(config).model).toBe(DEFAULT_FACE_MODEL_ID);
  });

  test("changing a preparation setting changes the model identity, so the old threshold no longer fits", () => {
    const config = defaultFaceConfig();
    expect(faceEmbeddingModel({ ...config, chip: { ...config.chip, blurSigma: 0 } }).model).not.toBe(DEFAULT_FACE_MODEL_ID);
    expect(faceEmbeddingModel({ ...config, flipAverage: false }).model).not.toBe(DEFAULT_FACE_MODEL_ID);
    expect(faceEmbeddingModel({ ...config, model: "fusion" }).dims).toBe(128 + 1024);
  });

  test("the shipped threshold is refused with another number of match frames than it was calibrated for", () => {
    const load = (env: Record<string, string>) => loadConfig(faceConfigSchema, "KIOSK_EDGE_FACE_", { env });
    expect(load({}).matchFrames).toBe(DEFAULT_MATCH_FRAMES);
    let error: unknown;
    try {
      load({ KIOSK_EDGE_FACE_MATCH_FRAMES: String(DEFAULT_MATCH_FRAMES + 1) });
    } catch (e) {
      error = e;
    }
    expect(isKioskError(error, "config-invalid")).toBe(true);
    expect((error as Error).message).toContain(`matchFrames (env KIOSK_EDGE_FACE_MATCH_FRAMES): must be ${DEFAULT_MATCH_FRAMES} with the shipped threshold`);
    // A threshold recalibrated for 3 frames is the operator's to set.
    expect(load({ KIOSK_EDGE_FACE_MATCH_FRAMES: "3", KIOSK_EDGE_FACE_THRESHOLD_VALUE: "0.945" }).matchFrames).toBe(3);
  });

  test("every setting is documented", () => {
    const fields = describeConfig(faceConfigSchema, "KIOSK_EDGE_FACE_");
    expect(fields.length).toBeGreaterThanOrEqual(14);
    for (const field of fields) expect(field.description.length).toBeGreaterThan(10);
    expect(fields.find((f) => f.key === "threshold.value")?.env).toBe("KIOSK_EDGE_FACE_THRESHOLD_VALUE");
  });

  test("reads overrides from the environment and lists every bad value", () => {
    const config = loadConfig(faceConfigSchema, "KIOSK_EDGE_FACE_", { env: { KIOSK_EDGE_FACE_WORKERS: "3", KIOSK_EDGE_FACE_CHIP_ATTEMPTS: '["padded"]' } });
    expect(config.workers).toBe(3);
    expect(config.chip.attempts).toEqual(["padded"]);
    let error: unknown;
    try {
      loadConfig(faceConfigSchema, "KIOSK_EDGE_FACE_", { env: { KIOSK_EDGE_FACE_MODEL: "arcface", KIOSK_EDGE_FACE_MATCH_FRAMES: "0" } });
    } catch (e) {
      error = e;
    }
    expect(isKioskError(error, "config-invalid")).toBe(true);
    expect((error as Error).message).toContain("2 problems");
  });
});
