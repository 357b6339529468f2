import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./idcard-decode.ts";
import { captureIo } from "../testing/capture-io.ts";

// The vectors live in the device package; this reads one by path only to
// build input files, the command itself goes through @kiosk/device.
const VECTORS = join(import.meta.dir, "../../../device/src/idcard/protocol/testdata");

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kiosk-idcard-decode-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function vectorHex(name: string): Promise<string> {
  return readFile(join(VECTORS, name), "utf8");
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.trim().split(/\s+/), (h) => Number.parseInt(h, 16));
}

describe("./kiosk idcard decode FILE", () => {
  test("a good hex vector prints one JSON line and exits 0", async () => {
    await writeFile(join(dir, "good.hex"), await vectorHex("syn_cn_readbase_1295.hex"));
    const { io, out, err } = captureIo({ cwd: dir });
    expect(await run(["good.hex"], io)).toBe(0);
    expect(out.length).toBe(1);
    expect(out[0]?.endsWith("}\n")).toBe(true);
    expect(out[0]?.split("\n").length).toBe(2);
    expect(JSON.parse(out[0] ?? "")).toEqual({
      ok: true,
      card: {
        cardType: "resident",
        name: "测试甲",
        sex: "male",
        ethnicityCode: "01",
        ethnicity: "汉",
        birthDate: "1980-01-01",
        address: "北京市东城区测试路１号",
        idNumber: "110101198001010037",
        issuer: "北京市公安局东城分局",
        validFrom: "2020-01-01",
        validUntil: "long-term",
        photo: { format: "wlt", bytes: 1024, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        fingerprintBytes: 0,
      },
    });
    expect(err).toEqual([]);
  });

  test("raw bytes work as well as hex text, by absolute path", async () => {
    const path = join(dir, "raw.bin");
    await writeFile(path, hexToBytes(await vectorHex("syn_foreign2023_Y_readbase_1295.hex")));
    const { io, out } = captureIo({ cwd: dir });
    expect(await run([path], io)).toBe(0);
    expect(JSON.parse(out[0] ?? "").card).toMatchObject({ cardType: "foreign-permanent-2023", nameEn: "TESTER, BETA" });
  });

  test("a corrupted vector exits 2 with bad-checksum", async () => {
    const bytes = hexToBytes(await vectorHex("syn_cn_readbase_1295.hex"));
    bytes[200] = (bytes[200] ?? 0) ^ 0x01;
    await writeFile(join(dir, "corrupt.bin"), bytes);
    const { io, out } = captureIo({ cwd: dir });
    expect(await run(["corrupt.bin"], io)).toBe(2);
    expect(JSON.parse(out[0] ?? "")).toEqual({ ok: false, error: { code: "bad-checksum", message: expect.any(String) } });
  });

  test("a truncated vector exits 2 with truncated", async () => {
    const hex = (await vectorHex("syn_cn_readbase_1295.hex")).trim().split(/\s+/).slice(0, 900).join(" ");
    await writeFile(join(dir, "truncated.hex"), hex);
    const { io, out } = captureIo({ cwd: dir });
    expect(await run(["truncated.hex"], io)).toBe(2);
    expect(JSON.parse(out[0] ?? "")).toEqual({ ok: false, error: { code: "truncated", message: expect.any(String) } });
  });

  test("a failure status exits 2 with status-error", async () => {
    await writeFile(join(dir, "fail.hex"), await vectorHex("resp_read_fail_41.hex"));
    const { io, out } = captureIo({ cwd: dir });
    expect(await run(["fail.hex"], io)).toBe(2);
    expect(JSON.parse(out[0] ?? "").error.code).toBe("status-error");
  });

  test("a missing file and bad usage exit 2 with a JSON error", async () => {
    const missing = captureIo({ cwd: dir });
    expect(await run(["nope.hex"], missing.io)).toBe(2);
    expect(JSON.parse(missing.out[0] ?? "")).toEqual({ ok: false, error: { code: "file-not-found", message: 'Cannot read "nope.hex": no such file' } });

    const directory = captureIo({ cwd: dir });
    expect(await run(["."], directory.io)).toBe(2);
    expect(JSON.parse(directory.out[0] ?? "").error.code).toBe("file-unreadable");

    for (const args of [[], ["a", "b"], ["--help"]]) {
      const usage = captureIo({ cwd: dir });
      expect(await run(args, usage.io)).toBe(2);
      expect(JSON.parse(usage.out[0] ?? "").error.code).toBe("usage");
    }
  });
});
