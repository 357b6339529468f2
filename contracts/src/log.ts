/**
 * Structured, namespaced logging. A logger writes JSON records
 * `{ts, level, ns, msg, ...fields}` to an injected sink; every record passes
 * through the redaction rule in `redact.ts` first, so no caller can log
 * personal data by mistake.
 */
import { redactForLog, redactText } from "./redact.ts";

/** Log levels in increasing severity. */
export const LOG_LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;

/** One of {@linkcode LOG_LEVELS}. */
export type LogLevel = keyof typeof LOG_LEVELS;

/** Extra structured fields attached to a record. */
export type LogFields = Readonly<Record<string, unknown>>;

/** A message, or a function computing it; functions are called only when the level is enabled. */
export type LazyMessage = string | (() => string);

/** A record as handed to the sink, already redacted. */
export interface LogRecord {
  readonly ts: string;
  readonly level: LogLevel;
  readonly ns: string;
  readonly msg: string;
  readonly [field: string]: unknown;
}

/** Where records go (stdout, a file, a test array). */
export type LogSink = (record: LogRecord) => void;

/** A namespaced logger. */
export interface Logger {
  readonly ns: string;
  debug(msg: LazyMessage, fields?: LogFields): void;
  info(msg: LazyMessage, fields?: LogFields): void;
  warn(msg: LazyMessage, fields?: LogFields): void;
  error(msg: LazyMessage, fields?: LogFields): void;
  /** True when records at `level` are written. */
  enabled(level: LogLevel): boolean;
  /** A logger whose namespace is `<this ns>/<ns>`, with extra fields on every record. */
  child(ns: string, fields?: LogFields): Logger;
}

/** Options for {@linkcode createLogger}. */
export interface LoggerOptions {
  sink: LogSink;
  /** Lowest level written; defaults to `info`. */
  level?: LogLevel;
  /** Root namespace, such as `edge` or `central`. */
  ns: string;
  /** Fields added to every record (the kiosk id, for example). */
  fields?: LogFields;
  /** Source of the current time in epoch milliseconds; defaults to `Date.now`. */
  now?: () => number;
}

// Fields a caller may not override, because the record's shape depends on them.
const RESERVED = new Set(["ts", "level", "ns", "msg"]);

/** Creates a logger writing redacted records to `options.sink`. */
export function createLogger(options: LoggerOptions): Logger {
  const min = LOG_LEVELS[options.level ?? "info"];
  const now = options.now ?? Date.now;
  const base = options.fields ?? {};

  const build = (ns: string, fields: LogFields): Logger => {
    const write = (level: LogLevel, msg: LazyMessage, extra?: LogFields): void => {
      if (LOG_LEVELS[level] < min) return;
      const text = typeof msg === "function" ? msg() : msg;
      const merged = redactForLog({ ...fields, ...extra }) as Record<string, unknown>;
      const record: Record<string, unknown> = { ts: new Date(now()).toISOString(), level, ns, msg: redactText(text) };
      for (const [key, value] of Object.entries(merged)) {
        record[RESERVED.has(key) ? `field.${key}` : key] = value;
      }
      options.sink(record as unknown as LogRecord);
    };
    return {
      ns,
      debug: (msg, extra) => write("debug", msg, extra),
      info: (msg, extra) => write("info", msg, extra),
      warn: (msg, extra) => write("warn", msg, extra),
      error: (msg, extra) => write("error", msg, extra),
      enabled: (level) => LOG_LEVELS[level] >= min,
      child: (childNs, extra) => build(`${ns}/${childNs}`, { ...fields, ...extra }),
    };
  };
  return build(options.ns, base);
}

/** A sink that serialises each record as one JSON line and hands it to `write`. */
export function jsonLineSink(write: (line: string) => void): LogSink {
  return (record) => write(`${JSON.stringify(record)}\n`);
}

/** A logger that drops everything; for code paths where logging is not wanted. */
export const silentLogger: Logger = createLogger({ ns: "silent", sink: () => {}, level: "error" });
