import { describe, expect, test } from "bun:test";
import { assertBackoffPolicy, DEFAULT_RECONNECT_BACKOFF, reconnectDelayMs } from "./reconnect-backoff.ts";

describe("reconnectDelayMs", () => {
  test("doubles from 500 ms and stops at 10 s by default", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map((n) => reconnectDelayMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000]);
  });

  test("follows a custom policy", () => {
    const policy = { initialDelayMs: 100, factor: 3, maxDelayMs: 1000 };
    expect([1, 2, 3, 4].map((n) => reconnectDelayMs(n, policy))).toEqual([100, 300, 900, 1000]);
    expect(reconnectDelayMs(3, { initialDelayMs: 250, factor: 1, maxDelayMs: 250 })).toBe(250);
  });

  test.each([0, -1, 1.5, Number.NaN])("rejects attempt %p", (attempt) => {
    expect(() => reconnectDelayMs(attempt)).toThrow(RangeError);
  });
});

describe("assertBackoffPolicy", () => {
  test("accepts the default", () => {
    expect(() => assertBackoffPolicy(DEFAULT_RECONNECT_BACKOFF)).not.toThrow();
  });

  test.each([
    [{ initialDelayMs: -1, factor: 2, maxDelayMs: 10 }, "initialDelayMs"],
    [{ initialDelayMs: 10, factor: 0.5, maxDelayMs: 10 }, "factor"],
    [{ initialDelayMs: 10, factor: 2, maxDelayMs: 5 }, "maxDelayMs"],
    [{ initialDelayMs: 10, factor: 2, maxDelayMs: Number.POSITIVE_INFINITY }, "maxDelayMs"],
  ])("rejects %p, naming %s", (policy, field) => {
    expect(() => assertBackoffPolicy(policy)).toThrow(new RegExp(field));
  });
});
