import { describeConfig, loadConfig } from "@kiosk/contracts";
import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { DEFAULT_SESSION_SETTINGS } from "./domain/verification-session-settings.ts";
import { VerificationSession } from "./domain/verification-session.ts";
import { sessionConfigSchema, sessionSettings } from "./session-config.ts";

const mounted = z.object({ session: sessionConfigSchema });

describe("sessionConfigSchema", () => {
  test("defaults keep the UX countdowns and no age limit, and every field is described", () => {
    const config = loadConfig(mounted, "KIOSK_EDGE_", {}).session;
    expect(config).toEqual({ timeoutScale: 1, minAgeYears: 0 });
    expect(sessionSettings(config)).toEqual(DEFAULT_SESSION_SETTINGS);
    const fields = describeConfig(mounted, "KIOSK_EDGE_");
    expect(fields.find((f) => f.key === "session.timeoutScale")?.env).toBe("KIOSK_EDGE_SESSION_TIMEOUT_SCALE");
    for (const field of fields) expect(field.description.length).toBeGreaterThan(10);
  });

  test("timeoutScale multiplies the applicant's countdowns and warnings, not the busy steps' watchdogs", () => {
    const config = loadConfig(mounted, "KIOSK_EDGE_", { env: { KIOSK_EDGE_SESSION_TIMEOUT_SCALE: "0.05" } }).session;
    const settings = sessionSettings(config);
    expect(settings.timeouts.consent).toEqual({ idleMs: 6_000, warningMs: 1_500 });
    expect(settings.timeouts.result).toEqual({ idleMs: 2_250, warningMs: 750 });
    expect(settings.timeouts.reading).toEqual(DEFAULT_SESSION_SETTINGS.timeouts.reading);
    expect(settings.timeouts.face).toEqual(DEFAULT_SESSION_SETTINGS.timeouts.face);
    expect(settings.timeouts.saving).toEqual(DEFAULT_SESSION_SETTINGS.timeouts.saving);
    expect(settings.maxAttempts).toBe(DEFAULT_SESSION_SETTINGS.maxAttempts);
    expect(() => new VerificationSession({ settings, random: () => 0, newSessionId: () => crypto.randomUUID() })).not.toThrow();
  });

  test("refuses a scale of zero or below", () => {
    expect(() => loadConfig(mounted, "KIOSK_EDGE_", { env: { KIOSK_EDGE_SESSION_TIMEOUT_SCALE: "0" } })).toThrow(/timeoutScale/);
  });
});
