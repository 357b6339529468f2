import { describe, expect, test } from "bun:test";
import { parseAppendedAddress } from "./appended-address.ts";
import { loadResponse } from "./testdata/load-vector.ts";

describe("parseAppendedAddress (30 03)", () => {
  test("reads the 70-byte appended address vector", async () => {
    const response = await loadResponse("syn_newaddr_3003_resp.hex");
    expect(response.data.length).toBe(70);
    expect(parseAppendedAddress(response)).toEqual({ ok: true, present: true, address: "北京市西城区测试街３号" });
  });

  test("SW3 91 means no appended address", async () => {
    expect(parseAppendedAddress(await loadResponse("resp_no_content_91.hex"))).toEqual({ ok: true, present: false });
  });

  test("other statuses and lengths are errors", async () => {
    expect(parseAppendedAddress(await loadResponse("resp_read_fail_41.hex"))).toMatchObject({ ok: false, reason: "status-error", status: { name: "read-failed" } });
    expect(parseAppendedAddress({ sw1: 0, sw2: 0, sw3: 0x90, data: new Uint8Array(69) })).toMatchObject({ ok: false, reason: "bad-address-length" });
  });
});
