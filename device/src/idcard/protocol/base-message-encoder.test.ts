import { describe, expect, test } from "bun:test";
import { splitBaseMessage } from "./base-message.ts";
import { encodeBaseMessage, encodeBaseMessageReply, padPhoto } from "./base-message-encoder.ts";
import { PHOTO_BYTES } from "./constants.ts";
import { decodeFrame, readResponse } from "./frame.ts";
import { loadVector, type VectorFile } from "./testdata/load-vector.ts";

async function sections(name: VectorFile): Promise<{ bytes: Uint8Array; text: Uint8Array; photo: Uint8Array; fingerprint: Uint8Array }> {
  const bytes = await loadVector(name);
  const decoded = decodeFrame(bytes);
  if (!decoded.ok) throw new Error(decoded.message);
  const read = readResponse(decoded.frame);
  if (!read.ok) throw new Error(read.message);
  const split = splitBaseMessage(read.response);
  if (!split.ok) throw new Error(split.message);
  return { bytes, ...split.message };
}

describe("encodeBaseMessageReply: the inverse of splitBaseMessage", () => {
  test("rebuilds the 1295-byte 30 01 vector byte for byte", async () => {
    const v = await sections("syn_cn_readbase_1295.hex");
    expect([...encodeBaseMessageReply({ text: v.text, photo: v.photo }, "base")]).toEqual([...v.bytes]);
  });

  test("rebuilds the 30 10 vectors without and with fingerprints", async () => {
    for (const name of ["syn_cn_readbase_fp0_1297.hex", "syn_cn_readbase_fp1024_2321.hex"] as const) {
      const v = await sections(name);
      const rebuilt = encodeBaseMessageReply({ text: v.text, photo: v.photo, fingerprint: v.fingerprint }, "base-fingerprint");
      expect([...rebuilt]).toEqual([...v.bytes]);
    }
  });

  test("the data starts with the big-endian inner lengths (spec §5.1, §5.2)", () => {
    const data = encodeBaseMessage({ text: new Uint8Array(256), photo: new Uint8Array(1024), fingerprint: new Uint8Array(512) }, "base-fingerprint");
    expect([...data.subarray(0, 6)]).toEqual([0x01, 0x00, 0x04, 0x00, 0x02, 0x00]);
    expect(data.length).toBe(6 + 256 + 1024 + 512);
  });

  test("fingerprints cannot go into a 30 01 reply", () => {
    expect(() => encodeBaseMessage({ text: new Uint8Array(256), photo: new Uint8Array(1024), fingerprint: new Uint8Array(512) }, "base")).toThrow(RangeError);
  });
});

describe("padPhoto", () => {
  test("zero-pads a small image to the 1024-byte chip field and keeps its bytes", () => {
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 1, 2, 3);
    const padded = padPhoto(jpeg);
    expect(padded.length).toBe(PHOTO_BYTES);
    expect([...padded.subarray(0, jpeg.length)]).toEqual([...jpeg]);
    expect(padded.subarray(jpeg.length).every((b) => b === 0)).toBe(true);
  });

  test("refuses a photo longer than the field", () => {
    expect(() => padPhoto(new Uint8Array(PHOTO_BYTES + 1))).toThrow(/has "1025" bytes: the chip's photo field holds at most 1024/);
  });
});
