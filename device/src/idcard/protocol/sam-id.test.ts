import { describe, expect, test } from "bun:test";
import { parseSamId } from "./sam-id.ts";
import { loadResponse } from "./testdata/load-vector.ts";

describe("parseSamId (12 FF)", () => {
  test("splits the 16 little-endian bytes and formats them", async () => {
    const result = parseSamId(await loadResponse("syn_samid_resp.hex"));
    if (!result.ok) throw new Error(result.message);
    expect(result.samId.hex).toBe("05000100E5B133014E61BC00D2029649");
    expect(result.samId.fields).toEqual([5, 1, 0x0133b1e5, 12345678, 1234567890]);
    expect(result.samId.text).toBe("05.01-20165093-0012345678-1234567890");
    expect(result.samId.bytes.length).toBe(16);
  });

  test("the spec §5.4 licence prefix reads as a date in the third field", () => {
    const data = Uint8Array.of(0x05, 0x00, 0x01, 0x00, 0x5b, 0x03, 0x33, 0x01, 0x5a, 0xb3, 0x1e, 0x00, 0, 0, 0, 0);
    const result = parseSamId({ sw1: 0, sw2: 0, sw3: 0x90, data });
    expect(result.ok && result.samId.fields[2]).toBe(20120411);
    expect(result.ok && result.samId.text).toBe("05.01-20120411-0002011994-0");
  });

  test("status and length errors", async () => {
    expect(parseSamId(await loadResponse("resp_sam_selftest_fail_60.hex"))).toMatchObject({ ok: false, reason: "status-error", status: { category: "sam-error" } });
    expect(parseSamId({ sw1: 0, sw2: 0, sw3: 0x90, data: new Uint8Array(15) })).toMatchObject({ ok: false, reason: "bad-sam-id-length" });
  });
});
