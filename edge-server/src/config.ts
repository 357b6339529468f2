/**
 * The edge server's settings: one schema, validated at start. Every setting
 * can be overridden by a `KIOSK_EDGE_*` variable; `KIOSK_EDGE_CONFIG_FILE`
 * names an optional JSON file (written by provisioning).
 */
import { readFileSync } from "node:fs";
import { describeConfig, kioskIdSchema, loadConfig, readJsonConfigFile, LOG_LEVELS, type ConfigField, type LogLevel } from "@kiosk/contracts";
import { z } from "zod";
import { demoConfigSchema } from "./demo-config.ts";
import { devicesConfigSchema } from "./devices-config.ts";
import { faceConfigSchema } from "./face-config.ts";
import { sessionConfigSchema } from "./session-config.ts";
import { syncConfigSchema } from "./sync-config.ts";

/** Prefix of the edge server's environment variables. */
export const EDGE_ENV_PREFIX = "KIOSK_EDGE_";
/** Variable naming the JSON config file. */
export const EDGE_CONFIG_FILE_ENV = "KIOSK_EDGE_CONFIG_FILE";

const logLevels = Object.keys(LOG_LEVELS) as [LogLevel, ...LogLevel[]];

/** Schema of the edge server's configuration. */
export const edgeConfigSchema = z.object({
  kioskId: kioskIdSchema.meta({ description: "Identity of this kiosk, assigned at enrolment (lower-case letters, digits, dashes)" }),
  http: z.object({
    host: z.string().min(1).default("127.0.0.1").meta({ description: "Address the kiosk UI and API listen on" }),
    port: z.number().int().min(0).max(65535).default(8600).meta({ description: "TCP port of the kiosk UI and API (0 picks a free port)" }),
  }),
  ui: z.object({
    dir: z.string().min(1).default("var/ui").meta({ description: "Folder holding the built kiosk UI (index.html and assets)" }),
  }),
  voice: z.object({
    recordingsDir: z
      .string()
      .min(1)
      .default("var/voice")
      .meta({
        description:
          "Folder of recorded voice prompts that replace the generated ones: <lang>/<key>.ogg, .opus, .mp3 or .wav (lang zh or en, keys from ./kiosk voice list); read on every play, need not exist",
      }),
  }),
  central: z
    .object({
      url: z
        .url({ protocol: /^https?$/ })
        .default("http://127.0.0.1:8700")
        .meta({ description: "Base URL of the central office service: https:// (with caFile), or http:// to a loopback address only (demo, tests)" }),
      caFile: z
        .string()
        .min(1)
        .optional()
        .meta({ description: "PEM file of the CA (or the certificate itself) central's HTTPS certificate must verify with; the only one trusted (no system CAs). Required for an https:// url" }),
      heartbeatIntervalMs: z.number().int().min(1000).max(3_600_000).default(30_000).meta({ description: "Time between heartbeats sent to central, in milliseconds" }),
      requestTimeoutMs: z.number().int().min(100).max(120_000).default(5_000).meta({ description: "Time limit of one request to central, in milliseconds" }),
    })
    .refine((c) => !c.url.startsWith("http:") || isLoopbackUrl(c.url), {
      path: ["url"],
      message: "plain http:// is allowed only to a loopback address (127.0.0.0/8, ::1, localhost): use https:// with central.caFile",
    })
    .refine((c) => !c.url.startsWith("https:") || c.caFile !== undefined, {
      path: ["caFile"],
      message: "is required for an https:// central url: the kiosk trusts only the CA or certificate named here",
    }),
  devices: devicesConfigSchema,
  face: faceConfigSchema,
  session: sessionConfigSchema,
  sync: syncConfigSchema,
  demo: demoConfigSchema,
  log: z.object({
    level: z.enum(logLevels).default("info").meta({ description: "Lowest log level written (debug, info, warn, error)" }),
  }),
});

/** True when `url`'s host is a loopback address: 127.0.0.0/8, ::1 or localhost. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The edge server's validated, frozen configuration. */
export type EdgeConfig = Readonly<z.output<typeof edgeConfigSchema>>;

/**
 * Loads the edge configuration from the environment (and the JSON file named
 * by {@linkcode EDGE_CONFIG_FILE_ENV}), with optional overrides by dotted key.
 *
 * @throws {KioskError} `config-invalid` listing every problem.
 */
export function loadEdgeConfig(env: Readonly<Record<string, string | undefined>>, overrides?: Record<string, unknown>): EdgeConfig {
  const filePath = env[EDGE_CONFIG_FILE_ENV];
  const file = filePath ? readJsonConfigFile(filePath, (path) => readFileSync(path, "utf8")) : undefined;
  return loadConfig(edgeConfigSchema, EDGE_ENV_PREFIX, { file, env, ...(overrides ? { overrides } : {}) }, [EDGE_CONFIG_FILE_ENV]);
}

/** Every edge setting, for `./kiosk config` and the README. */
export function edgeConfigFields(): ConfigField[] {
  return describeConfig(edgeConfigSchema, EDGE_ENV_PREFIX);
}
