import { describe, expect, test } from "bun:test";
import { describeConfig, isKioskError, loadConfig } from "@kiosk/contracts";
import { defaultFaceConfig, faceConfigSchema } from "./face-config.ts";
import { livenessConfigSchema } from "./liveness-config.ts";
import { qualityGateConfigSchema } from "./quality-gate-config.ts";

describe("face.quality and face.liveness settings", () => {
  test("are mounted in the face settings with their defaults", () => {
    const config = defaultFaceConfig();
    expect(config.quality).toEqual(qualityGateConfigSchema.parse({}));
    expect(config.liveness).toEqual(livenessConfigSchema.parse({}));
    expect(config.quality.minFaceSizePx).toBe(150);
    expect(config.liveness.mode).toBe("both");
    expect(config.liveness.active.allowedActions).toEqual(["blink", "turn-left", "turn-right"]);
  });

  test("every setting is documented and reachable through the environment", () => {
    const fields = describeConfig(faceConfigSchema, "KIOSK_EDGE_FACE_");
    const ours = fields.filter((f) => f.key.startsWith("quality.") || f.key.startsWith("liveness."));
    expect(ours.length).toBe(11 + 3 + 10);
    for (const field of ours) expect(field.description.length).toBeGreaterThan(30);
    expect(fields.find((f) => f.key === "quality.minFaceSizePx")?.env).toBe("KIOSK_EDGE_FACE_QUALITY_MIN_FACE_SIZE_PX");
    expect(fields.find((f) => f.key === "liveness.active.turnMinOffset")?.env).toBe("KIOSK_EDGE_FACE_LIVENESS_ACTIVE_TURN_MIN_OFFSET");
  });

  test("reads overrides from the environment and lists every bad value", () => {
    const config = loadConfig(faceConfigSchema, "KIOSK_EDGE_FACE_", {
      env: { KIOSK_EDGE_FACE_QUALITY_MIN_FACE_SIZE_PX: "200", KIOSK_EDGE_FACE_LIVENESS_MODE: "active", KIOSK_EDGE_FACE_LIVENESS_ACTIVE_ALLOWED_ACTIONS: '["blink"]' },
    });
    expect(config.quality.minFaceSizePx).toBe(200);
    expect(config.liveness.mode).toBe("active");
    expect(config.liveness.active.allowedActions).toEqual(["blink"]);
    let error: unknown;
    try {
      loadConfig(faceConfigSchema, "KIOSK_EDGE_FACE_", { env: { KIOSK_EDGE_FACE_LIVENESS_MODE: "ir", KIOSK_EDGE_FACE_QUALITY_MAX_CENTRE_OFFSET: "0.9" } });
    } catch (e) {
      error = e;
    }
    expect(isKioskError(error, "config-invalid")).toBe(true);
    expect((error as Error).message).toContain("2 problems");
  });
});
