import { describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import { gunzipCapped } from "./gunzip-capped.ts";

describe("gunzipCapped", () => {
  test("round-trips data up to the cap", async () => {
    const data = new TextEncoder().encode("abc".repeat(10_000));
    expect(await gunzipCapped(new Uint8Array(Bun.gzipSync(data)), data.byteLength)).toEqual(data);
  });

  test("stops a bomb at the cap without inflating it all", async () => {
    const bomb = new Uint8Array(Bun.gzipSync(new Uint8Array(256 * 1024 * 1024)));
    expect(bomb.byteLength).toBeLessThan(512 * 1024);
    const error = await gunzipCapped(bomb, 1024 * 1024).catch((e: unknown) => e);
    expect(isKioskError(error, "payload-too-large")).toBe(true);
  });

  test("refuses data that is not gzip as bad-request", async () => {
    const error = await gunzipCapped(new TextEncoder().encode("{\"plain\":true}"), 1024).catch((e: unknown) => e);
    expect(isKioskError(error, "bad-request")).toBe(true);
  });
});
