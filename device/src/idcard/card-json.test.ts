import { describe, expect, test } from "bun:test";
import { decodeCardReplyJson, sha256Hex } from "./card-json.ts";
import { encodeResponse } from "./protocol/frame.ts";
import { loadVector } from "./protocol/testdata/load-vector.ts";

describe("sha256Hex", () => {
  test("hashes with Web Crypto", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("decodeCardReplyJson", () => {
  test("resident card: fields in CLI order, no fields of other card types", async () => {
    const json = await decodeCardReplyJson(await loadVector("syn_cn_readbase_fp1024_2321.hex"));
    if (!json.ok) throw new Error(json.error.message);
    expect(Object.keys(json.card)).toEqual([
      "cardType", "name", "sex", "ethnicityCode", "ethnicity", "birthDate", "address", "idNumber", "issuer", "validFrom", "validUntil", "photo", "fingerprintBytes",
    ]);
    expect(json.card).toMatchObject({ cardType: "resident", ethnicity: "汉", validUntil: "long-term", fingerprintBytes: 1024 });
    expect(json.card.photo).toEqual({ format: "wlt", bytes: 1024, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test("J permit, I and Y cards carry their own fields", async () => {
    const gat = await decodeCardReplyJson(await loadVector("syn_gat_J_readbase_1295.hex"));
    expect(gat.ok && Object.keys(gat.card)).toEqual([
      "cardType", "name", "sex", "birthDate", "address", "idNumber", "issuer", "validFrom", "validUntil", "passNumber", "issueCount", "photo", "fingerprintBytes",
    ]);
    const i = await decodeCardReplyJson(await loadVector("syn_foreign2017_I_readbase_1295.hex"));
    expect(i.ok && i.card).toMatchObject({ cardType: "foreign-permanent-2017", name: "测试丙", nameEn: "TESTER, ALPHA", nationality: "CAN", idNumber: "CAN110080101000" });
    expect(i.ok && Object.keys(i.card)).toEqual([
      "cardType", "name", "nameEn", "sex", "birthDate", "idNumber", "validFrom", "validUntil", "nationality", "photo", "fingerprintBytes",
    ]);
    const y = await decodeCardReplyJson(await loadVector("syn_foreign2023_Y_readbase_1295.hex"));
    expect(y.ok && y.card).toMatchObject({ cardType: "foreign-permanent-2023", name: "测试丁", nameEn: "TESTER, BETA", nationality: "CAN", sex: "female" });
  });

  test("the photo hash is that of the photo bytes, and a JPEG photo is named as such", async () => {
    const text = (await loadVector("syn_cn_readbase_1295.hex")).subarray(14, 14 + 256);
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10);
    const data = new Uint8Array(4 + 256 + jpeg.length);
    data.set([0x01, 0x00, 0x00, jpeg.length]);
    data.set(text, 4);
    data.set(jpeg, 4 + 256);
    const json = await decodeCardReplyJson(encodeResponse(0, 0, 0x90, data));
    expect(json.ok && json.card.photo).toEqual({ format: "jpeg", bytes: jpeg.length, sha256: await sha256Hex(jpeg) });
  });

  test("errors carry the decoder's reason as code", async () => {
    expect(await decodeCardReplyJson(await loadVector("resp_read_fail_41.hex"))).toEqual({
      ok: false,
      error: { code: "status-error", message: expect.stringContaining("read-failed") },
    });
    expect(await decodeCardReplyJson(new Uint8Array(0))).toMatchObject({ ok: false, error: { code: "truncated" } });
  });
});
