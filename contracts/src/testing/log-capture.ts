import { createLogger, type LogLevel, type Logger, type LogRecord } from "../log.ts";

/** A logger that keeps its records in memory, for assertions. */
export function captureLogger(level: LogLevel = "debug"): { log: Logger; records: LogRecord[]; lines: () => string } {
  const records: LogRecord[] = [];
  const log = createLogger({ ns: "test", level, sink: (record) => records.push(record) });
  return { log, records, lines: () => records.map((r) => JSON.stringify(r)).join("\n") };
}
