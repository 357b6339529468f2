import { describe, expect, test } from "bun:test";
import { startAll, stopAll, type Service } from "./lifecycle.ts";
import { captureLogger } from "./testing/log-capture.ts";

function recorder(calls: string[], name: string, failStart = false, failStop = false): Service {
  return {
    name,
    start: async () => {
      calls.push(`start ${name}`);
      if (failStart) throw new Error(`${name} cannot start`);
    },
    stop: async () => {
      calls.push(`stop ${name}`);
      if (failStop) throw new Error(`${name} cannot stop`);
    },
  };
}

describe("startAll / stopAll", () => {
  test("starts in order and stops in reverse", async () => {
    const calls: string[] = [];
    const services = [recorder(calls, "db"), recorder(calls, "http")];
    const { log } = captureLogger();
    await startAll(services, log);
    await stopAll(services, log);
    expect(calls).toEqual(["start db", "start http", "stop http", "stop db"]);
  });

  test("a failed start stops what already started and rethrows", async () => {
    const calls: string[] = [];
    const { log } = captureLogger();
    await expect(startAll([recorder(calls, "db"), recorder(calls, "http", true)], log)).rejects.toThrow("http cannot start");
    expect(calls).toEqual(["start db", "start http", "stop db"]);
  });

  test("a failed stop is logged and the others still stop", async () => {
    const calls: string[] = [];
    const { log, records } = captureLogger();
    await stopAll([recorder(calls, "db"), recorder(calls, "http", false, true)], log);
    expect(calls).toEqual(["stop http", "stop db"]);
    expect(records.some((r) => r.level === "error" && r.msg === "failed to stop http")).toBe(true);
  });
});
