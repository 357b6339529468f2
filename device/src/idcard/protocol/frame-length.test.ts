import { describe, expect, test } from "bun:test";
import { MAX_LEN } from "./constants.ts";
import { encodeResponse } from "./frame.ts";
import { frameLengthOf } from "./frame-length.ts";

describe("frameLengthOf", () => {
  test("gives 7 + LEN once the header is known", () => {
    const frame = encodeResponse(0, 0, 0x90, new Uint8Array(1284));
    expect(frame.length).toBe(1295);
    expect(frameLengthOf(frame.subarray(0, 7))).toBe(1295);
    expect(frameLengthOf(frame)).toBe(1295);
  });

  test("is undefined for fewer than 7 bytes, a wrong preamble, or a LEN out of range", () => {
    const frame = encodeResponse(0, 0, 0x90);
    expect(frameLengthOf(frame.subarray(0, 6))).toBeUndefined();
    expect(frameLengthOf(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x68, 0x00, 0x04))).toBeUndefined();
    expect(frameLengthOf(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x02))).toBeUndefined();
    expect(frameLengthOf(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, (MAX_LEN + 1) >> 8, (MAX_LEN + 1) & 0xff))).toBeUndefined();
  });
});
