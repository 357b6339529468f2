import { describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import { createAesGcmSealer } from "./data-sealer.ts";
import { randomDataKey } from "./testing/store-fixtures.ts";
import { rejectionOf } from "@kiosk/contracts/testing";

const text = new TextEncoder();
const aad = text.encode("row-1");

describe("createAesGcmSealer", () => {
  test("seals with a fresh IV each time and opens what it sealed", async () => {
    const sealer = await createAesGcmSealer(await randomDataKey());
    const plain = text.encode("王小明 11010519491231002X");
    const a = await sealer.seal(plain, aad);
    const b = await sealer.seal(plain, aad);
    expect(a).not.toEqual(b);
    expect(a.length).toBe(1 + 12 + plain.length + 16);
    expect(await sealer.open(a, aad)).toEqual(plain);
  });

  test("tampered ciphertext, another row's AAD, or another key fail to open", async () => {
    const key = await randomDataKey();
    const sealer = await createAesGcmSealer(key);
    const sealed = await sealer.seal(text.encode("secret"), aad);
    const flipped = sealed.slice();
    flipped[20] = (flipped[20] as number) ^ 1;
    const stranger = await createAesGcmSealer(await randomDataKey());
    for (const attempt of [
      () => sealer.open(flipped, aad),
      () => sealer.open(sealed, text.encode("row-2")),
      () => stranger.open(sealed, aad),
      () => sealer.open(sealed.slice(0, 10), aad),
    ]) {
      const error = await rejectionOf(attempt());
      expect(isKioskError(error, "store-failed")).toBe(true);
    }
  });

  test("lookup tokens are stable for one key, differ between keys, and do not contain the input", async () => {
    const key = await randomDataKey();
    const one = await createAesGcmSealer(key);
    const again = await createAesGcmSealer(key);
    const other = await createAesGcmSealer(await randomDataKey());
    const token = await one.lookupToken("card:11010519491231002X");
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(await again.lookupToken("card:11010519491231002X")).toBe(token);
    expect(await one.lookupToken("card:110105194912310038")).not.toBe(token);
    expect(await other.lookupToken("card:11010519491231002X")).not.toBe(token);
  });
});
