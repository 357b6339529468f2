import { describe, expect, test } from "bun:test";
import { z } from "zod";
import { describeConfig, loadConfig, readJsonConfigFile, redactConfig, SECRET_PLACEHOLDER } from "./config.ts";
import { isKioskError, KioskError } from "./errors.ts";

const schema = z.object({
  http: z.object({
    host: z.string().default("127.0.0.1").meta({ description: "Address to listen on" }),
    port: z.number().int().min(0).max(65535).default(8600).meta({ description: "TCP port" }),
  }),
  central: z.object({
    baseUrl: z.url().default("http://127.0.0.1:8700").meta({ description: "Central URL" }),
    apiToken: z.string().optional().meta({ description: "Token", secret: true }),
  }),
  logLevel: z.enum(["debug", "info"]).default("info"),
  strict: z.boolean().default(false),
});

const PREFIX = "KIOSK_T_";

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (isKioskError(error, "config-invalid")) return error.details["problems"] as string[];
    throw error;
  }
  throw new Error("expected a config-invalid error");
}

describe("loadConfig", () => {
  test("applies defaults, then file, then env, then overrides", () => {
    const config = loadConfig(schema, PREFIX, {
      file: { http: { host: "0.0.0.0", port: 1 } },
      env: { KIOSK_T_HTTP_PORT: "2", KIOSK_T_STRICT: "true", OTHER: "ignored" },
      overrides: { "central.baseUrl": "http://central:1" },
    });
    expect(config).toEqual({
      http: { host: "0.0.0.0", port: 2 },
      central: { baseUrl: "http://central:1" },
      logLevel: "info",
      strict: true,
    });
    expect(Object.isFrozen(config.http)).toBe(true);
  });

  test("an invalid port stops loading with a message naming the key and variable", () => {
    expect(() => loadConfig(schema, PREFIX, { env: { KIOSK_T_HTTP_PORT: "abc" } })).toThrow(KioskError);
    const problems = problemsOf(() => loadConfig(schema, PREFIX, { env: { KIOSK_T_HTTP_PORT: "abc" } }));
    expect(problems).toEqual(['http.port (env KIOSK_T_HTTP_PORT): expected number, got "abc"']);
  });

  test("lists every problem at once, including unknown keys and variables", () => {
    const problems = problemsOf(() =>
      loadConfig(schema, PREFIX, {
        file: { http: { prot: 1 }, logLevel: "loud" },
        env: { KIOSK_T_HTTP_PORT: "70000", KIOSK_T_CENTRAL_BASE_URL: "not a url", KIOSK_T_NOPE: "1" },
      }),
    );
    expect(problems).toHaveLength(5);
    expect(problems.join("\n")).toContain("http.prot: unknown setting");
    expect(problems.join("\n")).toContain("KIOSK_T_NOPE: unknown environment variable");
    expect(problems.join("\n")).toContain("http.port (env KIOSK_T_HTTP_PORT)");
    expect(problems.join("\n")).toContain("central.baseUrl (env KIOSK_T_CENTRAL_BASE_URL)");
    expect(problems.join("\n")).toContain("logLevel (env KIOSK_T_LOG_LEVEL)");
  });

  test("never echoes a secret in an error", () => {
    const secretSchema = z.object({ token: z.string().min(40).meta({ secret: true }) });
    const problems = problemsOf(() => loadConfig(secretSchema, PREFIX, { env: { KIOSK_T_TOKEN: "hunter2" } }));
    expect(problems.join()).not.toContain("hunter2");
    expect(problems.join()).toContain(SECRET_PLACEHOLDER);
  });

  test("honours a conventional variable name given in the metadata", () => {
    const dbSchema = z.object({ database: z.object({ url: z.string().optional().meta({ env: "DATABASE_URL", secret: true }) }) });
    expect(loadConfig(dbSchema, PREFIX, { env: { DATABASE_URL: "postgres://x" } }).database.url).toBe("postgres://x");
    expect(describeConfig(dbSchema, PREFIX)[0]?.env).toBe("DATABASE_URL");
  });

  test("ignores reserved variables under the prefix", () => {
    expect(loadConfig(schema, PREFIX, { env: { KIOSK_T_CONFIG_FILE: "/etc/x.json" } }, ["KIOSK_T_CONFIG_FILE"]).http.port).toBe(8600);
  });

  test("rejects an override of an unknown key as a programming error", () => {
    expect(() => loadConfig(schema, PREFIX, { overrides: { "http.nope": 1 } })).toThrow(TypeError);
  });
});

describe("describeConfig", () => {
  test("derives keys, variables, types and defaults from the schema", () => {
    const fields = describeConfig(schema, PREFIX);
    expect(fields.map((f) => [f.key, f.env, f.type])).toEqual([
      ["http.host", "KIOSK_T_HTTP_HOST", "string"],
      ["http.port", "KIOSK_T_HTTP_PORT", "integer"],
      ["central.baseUrl", "KIOSK_T_CENTRAL_BASE_URL", "url"],
      ["central.apiToken", "KIOSK_T_CENTRAL_API_TOKEN", "string"],
      ["logLevel", "KIOSK_T_LOG_LEVEL", "enum(debug|info)"],
      ["strict", "KIOSK_T_STRICT", "boolean"],
    ]);
    expect(fields[1]).toMatchObject({ defaultValue: 8600, description: "TCP port", required: false, secret: false });
    expect(fields[3]).toMatchObject({ secret: true, required: false });
  });
});

describe("redactConfig", () => {
  test("replaces secrets and leaves the rest", () => {
    const config = loadConfig(schema, PREFIX, { env: { KIOSK_T_CENTRAL_API_TOKEN: "s3cret" } });
    const shown = JSON.stringify(redactConfig(schema, config));
    expect(shown).not.toContain("s3cret");
    expect(shown).toContain(SECRET_PLACEHOLDER);
    expect(config.central.apiToken).toBe("s3cret");
  });
});

describe("readJsonConfigFile", () => {
  test("parses the file's JSON", () => {
    expect(readJsonConfigFile("/etc/k.json", () => '{"a":1}')).toEqual({ a: 1 });
  });

  test("names the file when it cannot be read or parsed", () => {
    const unreadable = () =>
      readJsonConfigFile("/etc/k.json", () => {
        throw new Error("ENOENT");
      });
    expect(unreadable).toThrow('Cannot read config file "/etc/k.json": ENOENT');
    expect(() => readJsonConfigFile("/etc/k.json", () => "{nope")).toThrow('Config file "/etc/k.json" is not valid JSON');
  });
});
