import { describe, expect, test } from "bun:test";
import { createLogger, jsonLineSink, type LogRecord } from "./log.ts";

function collect(level: "debug" | "info" = "info") {
  const records: LogRecord[] = [];
  const log = createLogger({ ns: "edge", level, sink: (r) => records.push(r), now: () => Date.UTC(2026, 10, 23), fields: { kioskId: "hall-1-k1" } });
  return { log, records };
}

describe("createLogger", () => {
  test("writes structured records with namespace, level and base fields", () => {
    const { log, records } = collect();
    log.child("heartbeat").info("sent", { seq: 3 });
    expect(records).toEqual([{ ts: "2026-11-23T00:00:00.000Z", level: "info", ns: "edge/heartbeat", msg: "sent", kioskId: "hall-1-k1", seq: 3 }]);
  });

  test("drops records below the level and never evaluates their lazy message", () => {
    const { log, records } = collect("info");
    let evaluated = false;
    log.debug(() => {
      evaluated = true;
      return "expensive";
    });
    expect(evaluated).toBe(false);
    expect(records).toHaveLength(0);
    expect(log.enabled("debug")).toBe(false);
    expect(log.enabled("warn")).toBe(true);
  });

  test("cannot be made to log personal data through message or fields", () => {
    const { log, records } = collect("debug");
    log.debug(() => "read card of 测试甲 110101198001010037");
    log.info("card read", { name: "测试甲", idNumber: "110101198001010037", photo: new Uint8Array(1024), nested: { text: "北京" } });
    const out = JSON.stringify(records);
    expect(out).not.toContain("测试甲");
    expect(out).not.toContain("110101198001010037");
    expect(out).not.toContain("北京");
    expect(records[1]?.["photo"]).toBe("[redacted]");
  });

  test("keeps the record shape when a field collides with a reserved key", () => {
    const { log, records } = collect();
    log.warn("x", { level: "spoof", msg: "spoof" });
    expect(records[0]?.level).toBe("warn");
    expect(records[0]?.msg).toBe("x");
    expect(records[0]?.["field.level"]).toBe("spoof");
  });
});

describe("jsonLineSink", () => {
  test("writes one JSON object per line", () => {
    const lines: string[] = [];
    const log = createLogger({ ns: "t", sink: jsonLineSink((l) => lines.push(l)) });
    log.error("boom", { code: "internal" });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.endsWith("\n")).toBe(true);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: "error", ns: "t", msg: "boom", code: "internal" });
  });
});
