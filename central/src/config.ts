/**
 * The central service's settings: one schema, validated at start. Every
 * setting can be overridden by a `KIOSK_CENTRAL_*` variable (the database URL
 * by the conventional `DATABASE_URL`); `KIOSK_CENTRAL_CONFIG_FILE` names an
 * optional JSON file.
 */
import { readFileSync } from "node:fs";
import { describeConfig, loadConfig, readJsonConfigFile, LOG_LEVELS, type ConfigField, type LogLevel } from "@kiosk/contracts";
import { z } from "zod";

/** Prefix of the central service's environment variables. */
export const CENTRAL_ENV_PREFIX = "KIOSK_CENTRAL_";
/** Variable naming the JSON config file. */
export const CENTRAL_CONFIG_FILE_ENV = "KIOSK_CENTRAL_CONFIG_FILE";

/** Default of `auth.requestWindowS`: ±5 minutes, as common request-signing schemes allow. */
export const DEFAULT_REQUEST_WINDOW_S = 300;

const logLevels = Object.keys(LOG_LEVELS) as [LogLevel, ...LogLevel[]];

/** Schema of the central service's configuration. */
export const centralConfigSchema = z.object({
  http: z.object({
    host: z.string().min(1).default("127.0.0.1").meta({ description: "Address the central API and console listen on" }),
    port: z.number().int().min(0).max(65535).default(8700).meta({ description: "TCP port of the central API and console (0 picks a free port)" }),
    tlsCertFile: z
      .string()
      .min(1)
      .optional()
      .meta({ description: "PEM file of central's TLS certificate (chain); with tlsKeyFile, central serves HTTPS only. Unset: plain HTTP, which kiosks accept on a loopback address only" }),
    tlsKeyFile: z.string().min(1).optional().meta({ description: "PEM file of the private key of tlsCertFile (keep it mode 0600)" }),
  }),
  database: z.object({
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "expected a postgres:// URL")
      .optional()
      .meta({ env: "DATABASE_URL", secret: true, description: "PostgreSQL connection URL; when unset, central uses embedded SQLite" }),
    sqlitePath: z.string().min(1).default("var/central/central.db").meta({ description: "SQLite database file, used when no DATABASE_URL is set" }),
  }),
  keys: z.object({
    receiptKeyPath: z
      .string()
      .min(1)
      .default("var/central/keys/receipt.key")
      .meta({ description: "File (mode 0600, created when missing) holding central's Ed25519 key that signs receipts and sync pages" }),
  }),
  ingest: z.object({
    maxConcurrentBatches: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(8)
      .meta({ description: "Most kiosk batches stored at the same time; further batches get 429 with Retry-After" }),
    verifyWorkers: z
      .number()
      .int()
      .min(0)
      .max(64)
      .default(0)
      .meta({ description: "Worker threads verifying record signatures; 0 picks one per CPU core (the request thread mostly waits for them, so it needs no core of its own: measured 6.1k against 4.8k records/s drained on 2 cores)" }),
    retryAfterS: z
      .number()
      .int()
      .min(1)
      .max(3600)
      .default(5)
      .meta({ description: "Seconds a kiosk is told to wait (Retry-After) when central is too busy for its batch" }),
  }),
  auth: z.object({
    requestWindowS: z
      .number()
      .int()
      .min(10)
      .max(3600)
      .default(DEFAULT_REQUEST_WINDOW_S)
      .meta({
        description:
          "Largest difference, in seconds, between a kiosk request's signed timestamp and central's clock, either way; other requests are refused (request-expired, with central's time so the kiosk corrects its clock offset), and each nonce is remembered this long after its timestamp to refuse replays",
      }),
  }),
  fleet: z.object({
    offlineAfterMs: z
      .number()
      .int()
      .min(1000)
      .default(90_000)
      .meta({ description: "A kiosk silent for this long (milliseconds) is shown as offline on the console" }),
  }),
  log: z.object({
    level: z.enum(logLevels).default("info").meta({ description: "Lowest log level written (debug, info, warn, error)" }),
  }),
}).refine((c) => (c.http.tlsCertFile === undefined) === (c.http.tlsKeyFile === undefined), {
  path: ["http", "tlsKeyFile"],
  message: "http.tlsCertFile and http.tlsKeyFile go together: set both for HTTPS, or neither",
});

/** The central service's validated, frozen configuration. */
export type CentralConfig = Readonly<z.output<typeof centralConfigSchema>>;

/**
 * Loads the central configuration from the environment (and the JSON file
 * named by {@linkcode CENTRAL_CONFIG_FILE_ENV}), with optional overrides.
 *
 * @throws {KioskError} `config-invalid` listing every problem.
 */
export function loadCentralConfig(env: Readonly<Record<string, string | undefined>>, overrides?: Record<string, unknown>): CentralConfig {
  const filePath = env[CENTRAL_CONFIG_FILE_ENV];
  const file = filePath ? readJsonConfigFile(filePath, (path) => readFileSync(path, "utf8")) : undefined;
  return loadConfig(centralConfigSchema, CENTRAL_ENV_PREFIX, { file, env, ...(overrides ? { overrides } : {}) }, [CENTRAL_CONFIG_FILE_ENV]);
}

/** Every central setting, for `./kiosk config` and the README. */
export function centralConfigFields(): ConfigField[] {
  return describeConfig(centralConfigSchema, CENTRAL_ENV_PREFIX);
}
