import { describe, expect, test } from "bun:test";
import { captureLogger } from "@kiosk/contracts/testing";
import { READER_ERROR_CODES, TypedEvents } from "./reader-events.ts";

interface TestEvents {
  ping: { n: number };
  pong: { s: string };
}

describe("TypedEvents: owner-keyed subscriptions", () => {
  test("delivers payloads to the listeners of that event only", () => {
    const events = new TypedEvents<TestEvents>(captureLogger().log);
    const seen: string[] = [];
    events.on("a", "ping", (p) => seen.push(`a:${p.n}`));
    events.on("b", "pong", (p) => seen.push(`b:${p.s}`));
    events.emit("ping", { n: 1 });
    events.emit("pong", { s: "x" });
    expect(seen).toEqual(["a:1", "b:x"]);
  });

  test("off(owner) removes every subscription of that owner and no other", () => {
    const events = new TypedEvents<TestEvents>(captureLogger().log);
    const owner = {};
    const seen: string[] = [];
    events.on(owner, "ping", () => seen.push("owner-ping"));
    events.on(owner, "pong", () => seen.push("owner-pong"));
    events.on("other", "ping", () => seen.push("other-ping"));
    expect(events.listenerCount(owner)).toBe(2);
    events.off(owner);
    expect(events.listenerCount(owner)).toBe(0);
    expect(events.listenerCount()).toBe(1);
    events.emit("ping", { n: 1 });
    events.emit("pong", { s: "" });
    expect(seen).toEqual(["other-ping"]);
  });

  test("the returned remover removes one subscription; the same function twice counts twice", () => {
    const events = new TypedEvents<TestEvents>(captureLogger().log);
    let calls = 0;
    const listener = (): void => {
      calls++;
    };
    const first = events.on("a", "ping", listener);
    events.on("a", "ping", listener);
    events.emit("ping", { n: 0 });
    expect(calls).toBe(2);
    first();
    events.emit("ping", { n: 0 });
    expect(calls).toBe(3);
  });

  test("a throwing listener is logged and the others still run", () => {
    const { log, records } = captureLogger();
    const events = new TypedEvents<TestEvents>(log);
    const seen: number[] = [];
    events.on("a", "ping", () => {
      throw new Error("boom");
    });
    events.on("b", "ping", (p) => seen.push(p.n));
    events.emit("ping", { n: 7 });
    expect(seen).toEqual([7]);
    expect(records.some((r) => r.level === "error" && r.msg.includes('"ping" listener failed'))).toBe(true);
  });
});

describe("reader-error codes", () => {
  test("device and transmission problems are retryable; SAM failures and unparseable cards are not", () => {
    expect(READER_ERROR_CODES["device-unavailable"].retryable).toBe(true);
    expect(READER_ERROR_CODES["no-response"].retryable).toBe(true);
    expect(READER_ERROR_CODES["bad-reply"].retryable).toBe(true);
    expect(READER_ERROR_CODES["card-read-failed"].retryable).toBe(true);
    expect(READER_ERROR_CODES["card-unreadable"].retryable).toBe(false);
    expect(READER_ERROR_CODES["sam-failed"].retryable).toBe(false);
  });
});
