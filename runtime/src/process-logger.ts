import { createLogger, jsonLineSink, type LogFields, type Logger, type LogLevel } from "@kiosk/contracts";

/**
 * A logger writing JSON lines to this process's standard output, where the
 * service manager (systemd, the demo) collects them.
 */
export function processLogger(ns: string, level: LogLevel, fields?: LogFields): Logger {
  return createLogger({ ns, level, sink: jsonLineSink((line) => process.stdout.write(line)), ...(fields ? { fields } : {}) });
}
