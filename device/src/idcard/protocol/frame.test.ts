import { describe, expect, test } from "bun:test";
import { BAUD_RATE_PARA, COMMANDS, HEADER_BYTES, HID_REPORT_BYTES, MAX_FRAME_BYTES, MAX_LEN, SET_BAUD_CMD } from "./constants.ts";
import { decodeFrame, encodeCommand, encodeFrame, encodeRequest, encodeResponse, readRequest, readResponse } from "./frame.ts";
import { loadVector, loadVectors, VECTOR_FILES } from "./testdata/load-vector.ts";

const requests = await loadVectors(VECTOR_FILES.requests);
const responses = await loadVectors(VECTOR_FILES.responses);
const synthetic = await loadVectors(VECTOR_FILES.synthetic);
const prefixes = await loadVectors(VECTOR_FILES.headerPrefixes);

function vector<K>(map: Map<K, Uint8Array>, name: K): Uint8Array {
  const bytes = map.get(name);
  if (!bytes) throw new Error(`missing vector ${String(name)}`);
  return bytes;
}

describe("encodeRequest", () => {
  test("reproduces every request vector byte for byte", () => {
    expect(encodeCommand(COMMANDS.resetSam)).toEqual(vector(requests, "req_sam_reset_10FF.hex"));
    expect(encodeCommand(COMMANDS.samStatus)).toEqual(vector(requests, "req_sam_status_11FF.hex"));
    expect(encodeCommand(COMMANDS.readSamId)).toEqual(vector(requests, "req_read_samid_12FF.hex"));
    expect(encodeCommand(COMMANDS.findCard)).toEqual(vector(requests, "req_find_card_2001.hex"));
    expect(encodeCommand(COMMANDS.selectCard)).toEqual(vector(requests, "req_select_card_2002.hex"));
    expect(encodeCommand(COMMANDS.readBase)).toEqual(vector(requests, "req_read_base_3001.hex"));
    expect(encodeCommand(COMMANDS.readAppendedAddress)).toEqual(vector(requests, "req_read_newaddr_3003.hex"));
    expect(encodeCommand(COMMANDS.readBaseWithFingerprint)).toEqual(vector(requests, "req_read_base_fp_3010.hex"));
    expect(encodeCommand(COMMANDS.setMaxRfBytes, Uint8Array.of(0x50))).toEqual(vector(requests, "req_set_max_rf_byte_61FF_50.hex"));
    expect(encodeRequest(SET_BAUD_CMD, BAUD_RATE_PARA[115200])).toEqual(vector(requests, "req_set_baud_115200_6000.hex"));
    expect(encodeRequest(SET_BAUD_CMD, BAUD_RATE_PARA[9600])).toEqual(vector(requests, "req_set_baud_9600_6004.hex"));
  });

  test("throws RangeError on misuse", () => {
    expect(() => encodeRequest(0x100, 0)).toThrow(RangeError);
    expect(() => encodeRequest(-1, 0)).toThrow(RangeError);
    expect(() => encodeRequest(0x30, 1.5)).toThrow(RangeError);
    expect(() => encodeRequest(0x30, 0x01, new Uint8Array(MAX_FRAME_BYTES))).toThrow(RangeError);
  });
});

describe("encodeResponse", () => {
  test("reproduces the response vectors", () => {
    expect(encodeResponse(0, 0, 0x90)).toEqual(vector(responses, "resp_ok_90.hex"));
    expect(encodeResponse(0, 0, 0x80)).toEqual(vector(responses, "resp_find_fail_80.hex"));
    expect(encodeResponse(0, 0, 0x9f, new Uint8Array(4))).toEqual(vector(responses, "resp_find_ok_9F.hex"));
    expect(encodeResponse(0, 0, 0x90, new Uint8Array(8))).toEqual(vector(responses, "resp_select_ok_90.hex"));
  });

  test("re-encodes every synthetic reply from its own payload", () => {
    for (const [name, bytes] of synthetic) {
      const decoded = decodeFrame(bytes);
      if (!decoded.ok) throw new Error(`${name}: ${decoded.message}`);
      const read = readResponse(decoded.frame);
      if (!read.ok) throw new Error(name);
      const { sw1, sw2, sw3, data } = read.response;
      expect(encodeResponse(sw1, sw2, sw3, data)).toEqual(bytes);
    }
  });

  test("builds the largest frame and no larger", () => {
    const largest = encodeFrame(new Uint8Array(MAX_LEN - 1));
    expect(largest.length).toBe(MAX_FRAME_BYTES);
    expect(decodeFrame(largest).ok).toBe(true);
    expect(() => encodeFrame(new Uint8Array(MAX_LEN))).toThrow(RangeError);
  });
});

describe("decodeFrame", () => {
  test("decodes every whole vector, driven by LEN", () => {
    for (const [name, bytes] of [...requests, ...responses, ...synthetic]) {
      const result = decodeFrame(bytes);
      expect({ name, ok: result.ok }).toEqual({ name, ok: true });
      if (!result.ok) continue;
      expect(result.frame.bytes.length).toBe(bytes.length);
      expect(result.frame.len).toBe(bytes.length - HEADER_BYTES);
      expect(result.frame.payload.length).toBe(bytes.length - HEADER_BYTES - 1);
      expect(result.frame.checksum).toBe(bytes[bytes.length - 1] ?? -1);
    }
  });

  test("reads requests and responses", () => {
    const request = decodeFrame(vector(requests, "req_set_max_rf_byte_61FF_50.hex"));
    if (!request.ok) throw new Error(request.message);
    expect(readRequest(request.frame)).toEqual({ cmd: 0x61, para: 0xff, data: Uint8Array.of(0x50) });

    const response = decodeFrame(vector(responses, "resp_find_ok_9F.hex"));
    if (!response.ok) throw new Error(response.message);
    expect(readResponse(response.frame)).toEqual({ ok: true, response: { sw1: 0, sw2: 0, sw3: 0x9f, data: new Uint8Array(4) } });
  });

  test("a request-sized frame is too short to be a response", () => {
    const request = decodeFrame(vector(requests, "req_find_card_2001.hex"));
    if (!request.ok) throw new Error(request.message);
    expect(readResponse(request.frame)).toMatchObject({ ok: false, reason: "bad-length" });
  });

  test("header prefixes of longer replies are truncated frames", () => {
    for (const [name, bytes] of prefixes) {
      const result = decodeFrame(bytes);
      expect({ name, result: result.ok ? "ok" : result.reason }).toEqual({ name, result: "truncated" });
    }
  });

  test("every strict prefix of a reply is truncated, never an error of another kind", () => {
    const reply = vector(synthetic, "syn_cn_readbase_1295.hex");
    for (let n = 0; n < reply.length; n++) {
      const result = decodeFrame(reply.subarray(0, n));
      if (result.ok || result.reason !== "truncated") throw new Error(`prefix ${n}: ${result.ok ? "ok" : result.reason}`);
    }
  });

  test("rejects a wrong checksum, even by one bit, anywhere after the preamble", () => {
    const reply = vector(synthetic, "syn_samid_resp.hex");
    for (let i = 7; i < reply.length; i++) {
      const corrupted = reply.slice();
      corrupted[i] = (corrupted[i] ?? 0) ^ 0x01;
      const result = decodeFrame(corrupted);
      expect(result.ok ? "ok" : result.reason).toBe("bad-checksum");
    }
  });

  test("rejects a bare payload and a foreign preamble", () => {
    const reply = vector(synthetic, "syn_cn_readbase_1295.hex");
    expect(decodeFrame(reply.subarray(HEADER_BYTES))).toMatchObject({ ok: false, reason: "bad-preamble" });
    const variant = reply.slice();
    variant.set([0xa5, 0x5a], 3); // AA AA AA A5 5A seen in one capture (spec §13 item 9)
    expect(decodeFrame(variant)).toMatchObject({ ok: false, reason: "bad-preamble" });
    expect(decodeFrame(Uint8Array.of(0xaa, 0x00))).toMatchObject({ ok: false, reason: "bad-preamble" });
  });

  test("rejects LEN above the maximum at once, without waiting for the body", () => {
    const header = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, (MAX_LEN + 1) >> 8, (MAX_LEN + 1) & 0xff);
    expect(decodeFrame(header)).toMatchObject({ ok: false, reason: "oversize" });
    expect(decodeFrame(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0xff, 0xff))).toMatchObject({ ok: false, reason: "oversize" });
  });

  test("rejects LEN below the minimum", () => {
    for (const len of [0, 1, 2]) {
      const frame = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69, 0, len, 0, 0, 0);
      expect(decodeFrame(frame)).toMatchObject({ ok: false, reason: "bad-length" });
    }
  });

  test("ignores bytes after the frame but reports its true length", () => {
    const ok = vector(responses, "resp_ok_90.hex");
    const padded = new Uint8Array(ok.length + 5);
    padded.set(ok);
    const result = decodeFrame(padded);
    expect(result.ok && result.frame.bytes.length).toBe(ok.length);
  });

  test("never throws on random input", () => {
    let state = 7;
    for (let n = 0; n < 2000; n++) {
      const bytes = new Uint8Array(n % 40);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
      if (n % 3 === 0) bytes.set([0xaa, 0xaa, 0xaa, 0x96, 0x69].slice(0, bytes.length));
      expect(() => decodeFrame(bytes)).not.toThrow();
    }
  });
});

describe("HID reports (spec §10.1)", () => {
  test("21 zero-padded 64-byte reports reassemble, cut at 7 + LEN, into the 1295-byte reply", async () => {
    const hid = await loadVector("syn_cn_readbase_as_21_hid_reports_64B.hex");
    const reports: Uint8Array[] = [];
    for (let i = 0; i < hid.length; i += HID_REPORT_BYTES) reports.push(hid.subarray(i, i + HID_REPORT_BYTES));
    expect(reports.length).toBe(21);
    expect(reports.every((r) => r.length === HID_REPORT_BYTES)).toBe(true);

    const first = reports[0] ?? new Uint8Array(0);
    const total = HEADER_BYTES + (((first[5] ?? 0) << 8) | (first[6] ?? 0));
    expect(total).toBe(1295);
    expect(Math.ceil(total / HID_REPORT_BYTES)).toBe(reports.length);
    const joined = new Uint8Array(reports.length * HID_REPORT_BYTES);
    reports.forEach((r, i) => joined.set(r, i * HID_REPORT_BYTES));
    const frame = joined.subarray(0, total);
    expect(joined.subarray(total).every((b) => b === 0)).toBe(true);
    expect<Uint8Array>(frame).toEqual(vector(synthetic, "syn_cn_readbase_1295.hex"));
    expect(decodeFrame(frame).ok).toBe(true);
  });
});
