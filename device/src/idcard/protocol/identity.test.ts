import { describe, expect, test } from "bun:test";
import { HEADER_BYTES, HID_REPORT_BYTES } from "./constants.ts";
import { decodeFrame, encodeResponse } from "./frame.ts";
import { decodeIdentityReply, parseIdentityReply } from "./identity.ts";
import { loadVector, VECTOR_FILES } from "./testdata/load-vector.ts";
import { SYNTHETIC_RESIDENT_CARD } from "./testdata/expected-cards.ts";


describe("decodeIdentityReply: every read vector as its README row says", () => {
  const rows = [
    ["syn_cn_readbase_1295.hex", "base", 0, SYNTHETIC_RESIDENT_CARD],
    ["syn_cn_readbase_fp0_1297.hex", "base-fingerprint", 0, SYNTHETIC_RESIDENT_CARD],
    ["syn_cn_readbase_fp1024_2321.hex", "base-fingerprint", 1024, SYNTHETIC_RESIDENT_CARD],
    ["syn_gat_J_readbase_1295.hex", "base", 0, { cardType: "hmt-residence", name: "测试乙", sex: "female", birthDate: "1990-01-01", idNumber: "810000199001010027", passNumber: "H12345678", issueCount: "01", validFrom: "2019-01-01", validUntil: "2024-01-01" }],
    ["syn_foreign2017_I_readbase_1295.hex", "base", 0, { cardType: "foreign-permanent-2017", nameEn: "TESTER, ALPHA", name: "测试丙", sex: "male", idNumber: "CAN110080101000", nationality: "CAN", birthDate: "1980-01-01", validFrom: "2017-06-16", validUntil: "2027-06-15", cardVersion: "17", authorityCode: "1100" }],
    ["syn_foreign2023_Y_readbase_1295.hex", "base", 0, { cardType: "foreign-permanent-2023", name: "测试丁", nameEn: "TESTER, BETA", sex: "female", idNumber: "911124198108030024", nationality: "CAN", birthDate: "1981-08-03", validFrom: "2023-12-01", validUntil: "2033-11-30" }],
  ] as const;
  for (const [name, layout, fingerprintBytes, card] of rows) {
    test(name, async () => {
      const result = decodeIdentityReply(await loadVector(name));
      if (!result.ok) throw new Error(result.message);
      expect(result.identity.card).toMatchObject(card);
      expect(result.identity.layout).toBe(layout);
      expect(result.identity.fingerprint.length).toBe(fingerprintBytes);
      expect(result.identity.photo.format).toBe("wlt");
      expect(result.identity.photo.bytes.length).toBe(1024);
    });
  }

  test("the 21 HID reports, concatenated and cut at 7 + LEN, decode as the resident card", async () => {
    const hid = await loadVector(VECTOR_FILES.hidReports[0]);
    const reports = Array.from({ length: hid.length / HID_REPORT_BYTES }, (_, i) => hid.subarray(i * HID_REPORT_BYTES, (i + 1) * HID_REPORT_BYTES));
    expect(reports.length).toBe(21);
    const joined = new Uint8Array(reports.length * HID_REPORT_BYTES);
    reports.forEach((r, i) => joined.set(r, i * HID_REPORT_BYTES));
    const total = HEADER_BYTES + (((joined[5] ?? 0) << 8) | (joined[6] ?? 0));
    const result = decodeIdentityReply(joined.subarray(0, total));
    expect(result.ok && result.identity.card).toEqual(SYNTHETIC_RESIDENT_CARD);
    // Uncut, the zero padding is reported rather than guessed away.
    expect(decodeIdentityReply(joined)).toMatchObject({ ok: false, reason: "trailing-bytes" });
  });
});

describe("decodeIdentityReply: failures", () => {
  test("a corrupted byte gives bad-checksum", async () => {
    const bytes = (await loadVector("syn_cn_readbase_1295.hex")).slice();
    bytes[100] = (bytes[100] ?? 0) ^ 0x40;
    expect(decodeIdentityReply(bytes)).toMatchObject({ ok: false, reason: "bad-checksum" });
  });

  test("a truncated reply gives truncated", async () => {
    const bytes = await loadVector("syn_cn_readbase_1295.hex");
    expect(decodeIdentityReply(bytes.subarray(0, 700))).toMatchObject({ ok: false, reason: "truncated" });
    expect(decodeIdentityReply(await loadVector("resp_readbase_header_prefix.hex"))).toMatchObject({ ok: false, reason: "truncated" });
  });

  test("a bare payload gives bad-preamble", async () => {
    const bytes = await loadVector("syn_cn_readbase_1295.hex");
    expect(decodeIdentityReply(bytes.subarray(HEADER_BYTES))).toMatchObject({ ok: false, reason: "bad-preamble" });
  });

  test("a failure status gives status-error with the described status", async () => {
    for (const [name, statusName] of [["resp_read_fail_41.hex", "read-failed"], ["resp_sam_auth_card_fail_32.hex", "sam-auth-card-failed"], ["resp_find_fail_80.hex", "find-failed"]] as const) {
      const result = decodeIdentityReply(await loadVector(name));
      expect(result).toMatchObject({ ok: false, reason: "status-error", status: { name: statusName } });
    }
  });

  test("a request frame is not a reply", async () => {
    const decoded = decodeFrame(await loadVector("req_read_base_3001.hex"));
    if (!decoded.ok) throw new Error(decoded.message);
    expect(parseIdentityReply(decoded.frame)).toMatchObject({ ok: false, reason: "bad-length" });
  });

  test("an OK reply without a base message gives bad-layout; a short text gives bad-text-length", async () => {
    expect(decodeIdentityReply(await loadVector("resp_select_ok_90.hex"))).toMatchObject({ ok: false, reason: "bad-layout" });
    const shortText = new Uint8Array(4 + 220 + 1024);
    shortText.set([0x00, 220, 0x04, 0x00]);
    expect(decodeIdentityReply(encodeResponse(0, 0, 0x90, shortText))).toMatchObject({ ok: false, reason: "bad-text-length" });
  });

  test("failure messages never quote card content", async () => {
    const bytes = (await loadVector("syn_cn_readbase_1295.hex")).slice();
    bytes[40] = 0x41; // corrupt the sex/nation area and recompute nothing: bad checksum
    const result = decodeIdentityReply(bytes);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toMatch(/测试|1101011980/);
  });
});
