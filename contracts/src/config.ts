/**
 * Typed service configuration. Each service describes its settings once, as a
 * zod object schema whose leaves carry a default and a `description` (and
 * `secret: true` where needed) in their metadata. From that one schema this
 * module derives:
 *
 * - the environment variable of every setting (`http.port` → `KIOSK_EDGE_HTTP_PORT`),
 * - validation that lists every problem at once, naming the key and its variable,
 * - a redacted view for printing, and a table for the README.
 *
 * Nothing here reads the environment or files: the caller passes them in.
 */
import { z } from "zod";
import { KioskError } from "./errors.ts";

/** Metadata a service attaches to a setting with `.meta({...})`. */
export interface SettingMeta {
  /** One sentence saying what the setting does, with its unit. */
  description?: string;
  /** The value is a credential: it is never printed or logged. */
  secret?: boolean;
  /** A conventional variable name to use instead of the derived one, such as `DATABASE_URL`. */
  env?: string;
}

/** One setting of a schema, as documented and as mapped to the environment. */
export interface ConfigField {
  /** Dotted key in the config file, e.g. `http.port`. */
  readonly key: string;
  /** Environment variable that overrides it, e.g. `KIOSK_EDGE_HTTP_PORT`. */
  readonly env: string;
  /** Short type name: `integer`, `number`, `boolean`, `string`, `url`, `enum(a|b)`, `json`. */
  readonly type: string;
  /** The default, or `undefined` when the setting is optional without a default. */
  readonly defaultValue: unknown;
  readonly required: boolean;
  readonly description: string;
  readonly secret: boolean;
}

/** Where a configuration comes from, lowest precedence first. */
export interface ConfigSources {
  /** Parsed JSON config file, if any. */
  file?: unknown;
  /** Environment variables; only those starting with the prefix are considered. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values set by the program itself (command-line flags), by dotted key. */
  overrides?: Readonly<Record<string, unknown>>;
}

/** Placeholder shown instead of a secret. */
export const SECRET_PLACEHOLDER = "[secret]";

type AnyObject = z.ZodObject<z.ZodRawShape>;

interface Leaf {
  path: string[];
  schema: z.ZodType;
  base: z.ZodType;
  meta: SettingMeta;
  defaultValue: unknown;
  required: boolean;
}

function metaOf(schema: z.ZodType): SettingMeta {
  return (z.globalRegistry.get(schema) as SettingMeta | undefined) ?? {};
}

// Peels optional/default/nullable/pipe wrappers, collecting metadata and the default.
function unwrap(schema: z.ZodType): { base: z.ZodType; meta: SettingMeta; defaultValue: unknown; required: boolean } {
  let current = schema;
  let meta: SettingMeta = {};
  let defaultValue: unknown;
  let required = true;
  for (;;) {
    meta = { ...metaOf(current), ...meta };
    const def = current.def as { type: string; innerType?: z.ZodType; in?: z.ZodType; defaultValue?: unknown };
    if (def.type === "default" || def.type === "prefault") {
      defaultValue ??= def.defaultValue;
      required = false;
      current = def.innerType as z.ZodType;
    } else if (def.type === "optional" || def.type === "nullable") {
      required = false;
      current = def.innerType as z.ZodType;
    } else if (def.type === "pipe") {
      current = def.in as z.ZodType;
    } else {
      return { base: current, meta, defaultValue, required };
    }
  }
}

function leavesOf(schema: AnyObject, prefix: string[] = []): Leaf[] {
  const out: Leaf[] = [];
  for (const [name, child] of Object.entries(schema.shape)) {
    const path = [...prefix, name];
    const info = unwrap(child as z.ZodType);
    if (info.base instanceof z.ZodObject) out.push(...leavesOf(info.base as AnyObject, path));
    else out.push({ path, schema: child as z.ZodType, ...info });
  }
  return out;
}

function envName(prefix: string, leaf: Pick<Leaf, "path" | "meta">): string {
  if (leaf.meta.env) return leaf.meta.env;
  const parts = leaf.path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase());
  return `${prefix}${parts.join("_")}`;
}

function typeName(base: z.ZodType): string {
  const def = base.def as { type: string; format?: string; check?: string; checks?: unknown[] };
  if (base instanceof z.ZodEnum) return `enum(${base.options.join("|")})`;
  if (def.type === "number") return (base as z.ZodNumber).format?.includes("int") || (base as z.ZodNumber).isInt ? "integer" : "number";
  if (def.type === "string" && def.format === "url") return "url";
  if (def.type === "string" || def.type === "boolean") return def.type;
  return "json";
}

/** Lists every setting of `schema` with its key, variable, type, default and description. */
export function describeConfig(schema: AnyObject, envPrefix: string): ConfigField[] {
  return leavesOf(schema).map((leaf) => ({
    key: leaf.path.join("."),
    env: envName(envPrefix, leaf),
    type: typeName(leaf.base),
    defaultValue: leaf.defaultValue,
    required: leaf.required,
    description: leaf.meta.description ?? "",
    secret: leaf.meta.secret === true,
  }));
}

// Environment values are strings; convert them to what the setting expects.
// Unconvertible text is passed through unchanged so validation can name it.
function fromEnv(base: z.ZodType, raw: string): unknown {
  const type = (base.def as { type: string }).type;
  if (type === "number") return /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : raw;
  if (type === "boolean") {
    const v = raw.trim().toLowerCase();
    if (["true", "1", "yes", "on"].includes(v)) return true;
    if (["false", "0", "no", "off"].includes(v)) return false;
    return raw;
  }
  if (type === "string" || type === "enum") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

function getPath(source: unknown, path: readonly (string | number | symbol)[]): unknown {
  let node = source;
  for (const part of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<string | number | symbol, unknown>)[part];
  }
  return node;
}

// Nested objects are created empty so that the defaults inside them apply.
function skeleton(schema: AnyObject): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(schema.shape)) {
    const { base } = unwrap(child as z.ZodType);
    if (base instanceof z.ZodObject) out[name] = skeleton(base as AnyObject);
  }
  return out;
}

function mergeFile(target: Record<string, unknown>, file: unknown, schema: AnyObject, prefix: string[], problems: string[]): void {
  if (typeof file !== "object" || file === null || Array.isArray(file)) {
    problems.push(`${prefix.join(".") || "config file"}: expected an object`);
    return;
  }
  for (const [name, value] of Object.entries(file)) {
    const child = schema.shape[name] as z.ZodType | undefined;
    const path = [...prefix, name];
    if (!child) {
      problems.push(`${path.join(".")}: unknown setting`);
      continue;
    }
    const { base } = unwrap(child);
    if (base instanceof z.ZodObject) {
      const nested = (target[name] ??= {}) as Record<string, unknown>;
      mergeFile(nested, value, base as AnyObject, path, problems);
    } else {
      target[name] = value;
    }
  }
}

function show(value: unknown, secret: boolean): string {
  if (secret) return SECRET_PLACEHOLDER;
  return typeof value === "string" ? `"${value}"` : JSON.stringify(value) ?? String(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Builds and validates a service's configuration.
 *
 * Precedence, lowest first: schema defaults, the config file, environment
 * variables starting with `envPrefix`, then `overrides`. Every problem is
 * collected (bad values, unknown keys, unknown variables) before failing.
 *
 * @param reservedEnv variables under the prefix that are not settings (such as
 *   the one naming the config file).
 * @throws {KioskError} `config-invalid`, whose message lists each problem with
 *   its key and environment variable, and whose `details.problems` holds them.
 */
export function loadConfig<S extends AnyObject>(
  schema: S,
  envPrefix: string,
  sources: ConfigSources,
  reservedEnv: readonly string[] = [],
): Readonly<z.output<S>> {
  const problems: string[] = [];
  const leaves = leavesOf(schema);
  const input = skeleton(schema);
  if (sources.file !== undefined) mergeFile(input, sources.file, schema, [], problems);

  const byEnv = new Map(leaves.map((leaf) => [envName(envPrefix, leaf), leaf]));
  for (const [name, raw] of Object.entries(sources.env ?? {})) {
    if (raw === undefined || reservedEnv.includes(name)) continue;
    const leaf = byEnv.get(name);
    if (!leaf) {
      if (!name.startsWith(envPrefix)) continue;
      problems.push(`${name}: unknown environment variable (no setting has this name)`);
      continue;
    }
    setPath(input, leaf.path, fromEnv(leaf.base, raw));
  }

  const byKey = new Map(leaves.map((leaf) => [leaf.path.join("."), leaf]));
  for (const [key, value] of Object.entries(sources.overrides ?? {})) {
    const leaf = byKey.get(key);
    if (!leaf) throw new TypeError(`Cannot override "${key}": no such setting`);
    setPath(input, leaf.path, value);
  }

  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join(".");
      const leaf = byKey.get(key);
      const where = leaf ? `${key} (env ${envName(envPrefix, leaf)})` : key || "config";
      const got = getPath(input, issue.path);
      const message = issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message.replace(/^Invalid input: /, "");
      problems.push(`${where}: ${message}, got ${show(got, leaf?.meta.secret === true)}`);
    }
  }
  if (problems.length > 0) {
    const noun = problems.length === 1 ? "problem" : "problems";
    throw new KioskError(
      "config-invalid",
      `Invalid configuration: ${problems.length} ${noun}\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      { details: { problems } },
    );
  }
  return deepFreeze(result.data as z.output<S>);
}

/** A copy of a loaded config with every secret replaced by {@linkcode SECRET_PLACEHOLDER}. */
export function redactConfig<S extends AnyObject>(schema: S, config: z.output<S>): unknown {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const leaf of leavesOf(schema)) {
    if (leaf.meta.secret && getPath(copy, leaf.path) !== undefined) setPath(copy, leaf.path, SECRET_PLACEHOLDER);
  }
  return copy;
}

/**
 * Reads and parses a JSON config file through `readText` (the caller's file
 * access), turning both failures into a `config-invalid` error naming the file.
 */
export function readJsonConfigFile(path: string, readText: (path: string) => string): unknown {
  let text: string;
  try {
    text = readText(path);
  } catch (cause) {
    throw new KioskError("config-invalid", `Cannot read config file "${path}": ${(cause as Error).message}`, { cause });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new KioskError("config-invalid", `Config file "${path}" is not valid JSON: ${(cause as Error).message}`, { cause });
  }
}
