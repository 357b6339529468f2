import { describe, expect, test } from "bun:test";
import { sniffPhotoFormat, splitBaseMessage } from "./base-message.ts";
import { type ResponseView } from "./frame.ts";
import { loadResponse } from "./testdata/load-vector.ts";

function withData(data: Uint8Array): ResponseView {
  return { sw1: 0, sw2: 0, sw3: 0x90, data };
}

describe("splitBaseMessage", () => {
  test("30 01: 256 text + 1024 photo, no fingerprint", async () => {
    const result = splitBaseMessage(await loadResponse("syn_cn_readbase_1295.hex"));
    if (!result.ok) throw new Error(result.message);
    expect(result.message.layout).toBe("base");
    expect(result.message.text.length).toBe(256);
    expect(result.message.photo.length).toBe(1024);
    expect(result.message.fingerprint.length).toBe(0);
    expect(Array.from(result.message.text.subarray(0, 2))).toEqual([0x4b, 0x6d]); // 测
    expect(Array.from(result.message.photo.subarray(0, 3))).toEqual([0x57, 0x4c, 0x66]);
  });

  test("30 10 with fingerprint length 0 and 1024", async () => {
    const fp0 = splitBaseMessage(await loadResponse("syn_cn_readbase_fp0_1297.hex"));
    expect(fp0.ok && [fp0.message.layout, fp0.message.text.length, fp0.message.photo.length, fp0.message.fingerprint.length]).toEqual(["base-fingerprint", 256, 1024, 0]);
    const fp1024 = splitBaseMessage(await loadResponse("syn_cn_readbase_fp1024_2321.hex"));
    expect(fp1024.ok && [fp1024.message.layout, fp1024.message.text.length, fp1024.message.photo.length, fp1024.message.fingerprint.length]).toEqual(["base-fingerprint", 256, 1024, 1024]);
    expect(fp1024.ok && Array.from(fp1024.message.photo.subarray(0, 3))).toEqual([0x57, 0x4c, 0x66]);
    expect(fp1024.ok && fp1024.message.fingerprint[0]).toBe(0x43);
  });

  test("30 10 with one 512-byte template", () => {
    const data = new Uint8Array(6 + 256 + 1024 + 512);
    data.set([0x01, 0x00, 0x04, 0x00, 0x02, 0x00]);
    data[6 + 256 + 1024] = 0x7e;
    const result = splitBaseMessage(withData(data));
    expect(result.ok && result.message.fingerprint.length).toBe(512);
    expect(result.ok && result.message.fingerprint[0]).toBe(0x7e);
  });

  test("inner lengths are big-endian and drive the split", () => {
    // A 30 01 reply whose photo is a 3-byte JPEG stub: the lengths say so.
    const data = Uint8Array.of(0x00, 0x02, 0x00, 0x03, 0x41, 0x00, 0xff, 0xd8, 0xff);
    const result = splitBaseMessage(withData(data));
    expect(result.ok && Array.from(result.message.text)).toEqual([0x41, 0x00]);
    expect(result.ok && sniffPhotoFormat(result.message.photo)).toBe("jpeg");
  });

  test("inconsistent or missing inner lengths give bad-layout", async () => {
    const full = (await loadResponse("syn_cn_readbase_1295.hex")).data;
    for (const data of [full.subarray(0, full.length - 1), new Uint8Array(0), Uint8Array.of(0x01), Uint8Array.of(0x01, 0x00, 0x04, 0x00)]) {
      expect(splitBaseMessage(withData(data))).toMatchObject({ ok: false, reason: "bad-layout" });
    }
    // Little-endian reading would accept this; big-endian does not.
    const swapped = full.slice();
    swapped.set([0x00, 0x01, 0x00, 0x04]);
    expect(splitBaseMessage(withData(swapped))).toMatchObject({ ok: false, reason: "bad-layout" });
  });
});

describe("sniffPhotoFormat", () => {
  test("recognises WLT, JPEG and WebP by their magic", () => {
    expect(sniffPhotoFormat(Uint8Array.of(0x57, 0x4c, 0x66, 0x00))).toBe("wlt");
    expect(sniffPhotoFormat(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0))).toBe("jpeg");
    const webp = new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ");
    expect(sniffPhotoFormat(webp)).toBe("webp");
    expect(sniffPhotoFormat(new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WAVE"))).toBe("unknown");
    expect(sniffPhotoFormat(Uint8Array.of(0x57, 0x4c))).toBe("unknown");
    expect(sniffPhotoFormat(new Uint8Array(0))).toBe("unknown");
  });
});
