import { describe, expect, test } from "bun:test";
import { KNOWN_READERS, findHidReaderCandidates, formatVidPid, parseVidPid, type HidDeviceInfo } from "./hid-devices.ts";

// Shaped like node-hid devicesAsync() output.
const keyboard: HidDeviceInfo = { vendorId: 0x046d, productId: 0xc31c, path: "/dev/hidraw0", product: "Keyboard", interface: 0 };
const sdtReader: HidDeviceInfo = { vendorId: 0x2b8b, productId: 0x2721, path: "/dev/hidraw1", interface: 0 };
const routon: HidDeviceInfo = { vendorId: 0x0425, productId: 0x8159, path: "/dev/hidraw2", interface: 0 };
const routonDfu: HidDeviceInfo = { vendorId: 0x0483, productId: 0xdf11, path: "/dev/hidraw3", interface: 0 };
const noPath: HidDeviceInfo = { vendorId: 0x2b8b, productId: 0x2721, interface: 1 };

describe("KNOWN_READERS", () => {
  test("holds every VID:PID of spec §10 once", () => {
    const ids = KNOWN_READERS.map((r) => formatVidPid(r.vendorId, r.productId));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(
      ["0400:c35a", "0425:8159", "0483:df11", "2b8b:2721", "10c4:0007", "10c4:8a1b", "2015:0008", "9573:4836", "0483:572b"].sort(),
    );
  });

  test("the only id confirmed by two sources is the standard SAM module, which is bulk, not HID", () => {
    const confirmed = KNOWN_READERS.filter((r) => r.confidence === "2+");
    expect(confirmed.map((r) => formatVidPid(r.vendorId, r.productId))).toEqual(["0400:c35a"]);
    expect(confirmed[0]?.hidCandidate).toBe(false);
  });
});

describe("parseVidPid / formatVidPid", () => {
  test("round-trips hex ids in either case", () => {
    expect(parseVidPid("0400:C35A")).toEqual({ vendorId: 0x0400, productId: 0xc35a });
    expect(parseVidPid(" 2b8b:2721 ")).toEqual({ vendorId: 0x2b8b, productId: 0x2721 });
    expect(formatVidPid(0x0400, 0xc35a)).toBe("0400:c35a");
  });

  test.each(["0400", "0400:c35", "0400-c35a", "gggg:0000", "", "0x0400:0xc35a"])("rejects %p with a SyntaxError", (text) => {
    expect(() => parseVidPid(text)).toThrow(SyntaxError);
  });
});

describe("findHidReaderCandidates", () => {
  test("picks known HID readers in table order and ignores other devices, DFU mode and devices without a path", () => {
    const candidates = findHidReaderCandidates([keyboard, routon, routonDfu, sdtReader, noPath]);
    expect(candidates.map((c) => [c.path, c.id, c.source])).toEqual([
      ["/dev/hidraw1", "2b8b:2721", "known"],
      ["/dev/hidraw2", "0425:8159", "known"],
    ]);
    expect(candidates[0]?.reader?.family).toContain("Sdtusbapi");
    expect(candidates[0]?.device).toBe(sdtReader);
  });

  test("extra ids from config come first and may name any device", () => {
    const candidates = findHidReaderCandidates([keyboard, sdtReader], { extra: ["046D:C31C"] });
    expect(candidates.map((c) => [c.path, c.source])).toEqual([
      ["/dev/hidraw0", "config"],
      ["/dev/hidraw1", "known"],
    ]);
    expect(candidates[0]?.reader).toBeUndefined();
  });

  test("a device matched by config and by the table is listed once, as config", () => {
    const candidates = findHidReaderCandidates([sdtReader], { extra: ["2b8b:2721"] });
    expect(candidates).toHaveLength(1);
    expect(candidates[0]?.source).toBe("config");
    expect(candidates[0]?.reader?.vendorId).toBe(0x2b8b);
  });

  test("an injected table replaces the built-in one", () => {
    const known = [{ vendorId: 0x046d, productId: 0xc31c, family: "test", transport: "hid", confidence: "1", hidCandidate: true }] as const;
    expect(findHidReaderCandidates([keyboard, sdtReader], { known }).map((c) => c.path)).toEqual(["/dev/hidraw0"]);
  });

  test("a malformed extra id is a SyntaxError", () => {
    expect(() => findHidReaderCandidates([], { extra: ["nonsense"] })).toThrow(SyntaxError);
  });

  test("no devices, no candidates", () => {
    expect(findHidReaderCandidates([])).toEqual([]);
  });
});
