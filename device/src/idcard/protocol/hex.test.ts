import { describe, expect, test } from "bun:test";
import { hexByte, hexOrRawBytes, parseHex, toHex } from "./hex.ts";

describe("parseHex", () => {
  test("ignores whitespace of any kind and accepts both cases", () => {
    expect(parseHex("AA aa\n96\t69 \r\n")).toEqual(Uint8Array.of(0xaa, 0xaa, 0x96, 0x69));
  });

  test("rejects odd digit counts, other characters and empty text", () => {
    expect(parseHex("AAA")).toBeUndefined();
    expect(parseHex("AA GG")).toBeUndefined();
    expect(parseHex("0xAA")).toBeUndefined();
    expect(parseHex("  \n")).toBeUndefined();
  });
});

describe("toHex and hexByte", () => {
  test("format upper-case, zero-padded", () => {
    expect(toHex(Uint8Array.of(0x0a, 0xff), " ")).toBe("0A FF");
    expect(toHex(Uint8Array.of(0x0a, 0xff))).toBe("0AFF");
    expect(hexByte(0x9f)).toBe("9F");
  });
});

describe("hexOrRawBytes", () => {
  test("parses hex text and passes raw frames through", () => {
    const hexText = new TextEncoder().encode("AA AA AA 96 69\n00 04 00 00 90 94\n");
    expect(hexOrRawBytes(hexText)).toEqual(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x94));
    const raw = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x94);
    expect(hexOrRawBytes(raw)).toBe(raw);
  });
});
