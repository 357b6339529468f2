import { describe, expect, test } from "bun:test";
import { xorChecksum } from "./checksum.ts";
import { loadVectors, VECTOR_FILES } from "./testdata/load-vector.ts";

const frames = await loadVectors([...VECTOR_FILES.requests, ...VECTOR_FILES.responses, ...VECTOR_FILES.synthetic]);

describe("xorChecksum", () => {
  test("XORs the given range only", () => {
    expect(xorChecksum(Uint8Array.of(0x00, 0x03, 0x20, 0x01), 0, 4)).toBe(0x22);
    expect(xorChecksum(Uint8Array.of(0xff, 0x00, 0x03, 0x20, 0x01, 0x99), 1, 5)).toBe(0x22);
    expect(xorChecksum(new Uint8Array(0), 0, 0)).toBe(0);
  });

  test("reproduces the checksum of every whole vector (LEN_hi through last payload byte)", () => {
    expect(frames.size).toBe(28);
    for (const [name, bytes] of frames) {
      const computed = xorChecksum(bytes, 5, bytes.length - 1);
      expect({ name, computed }).toEqual({ name, computed: bytes[bytes.length - 1] ?? -1 });
    }
  });
});
