import { describe, expect, test } from "bun:test";
import { fullJitterDelayMs, MAX_RETRY_AFTER_MS, retryAfterMs } from "./backoff.ts";

const policy = { baseMs: 1_000, capMs: 60_000 };

describe("fullJitterDelayMs", () => {
  test("is random in [0, min(cap, base·2^(n-1)))", () => {
    expect([1, 2, 3, 6, 7, 8, 100].map((n) => fullJitterDelayMs(n, policy, () => 0.999_999))).toEqual([999, 1_999, 3_999, 31_999, 59_999, 59_999, 59_999]);
    expect(fullJitterDelayMs(5, policy, () => 0)).toBe(0);
    expect(fullJitterDelayMs(3, policy, () => 0.5)).toBe(2_000);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-03-01T08:00:00.000Z");
  test("reads seconds or an HTTP date, and caps absurd values", () => {
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Sun, 01 Mar 2026 08:00:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Sun, 01 Mar 2026 07:00:00 GMT", now)).toBe(0);
    expect(retryAfterMs("9999999", now)).toBe(MAX_RETRY_AFTER_MS);
    expect(retryAfterMs("soon", now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(0);
  });
});
