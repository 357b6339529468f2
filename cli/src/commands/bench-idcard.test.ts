import { describe, expect, test } from "bun:test";
import { run } from "./bench-idcard.ts";
import { captureIo } from "../testing/capture-io.ts";

describe("./kiosk bench idcard", () => {
  test("prints one JSON object with the measurements, the targets and whether they were met", async () => {
    const { io, out } = captureIo();
    expect(await run(["--unpaced-runs", "3", "--paced-runs", "1", "--warmup-runs", "0", "--deframer-mb", "2"], io)).toBe(0);
    expect(out).toHaveLength(1);
    const result = JSON.parse(out[0] ?? "");
    // A second copy: Bun's toMatchObject writes its asymmetric matchers into the object it checks.
    expect(JSON.parse(out[0] ?? "")).toMatchObject({
      overheadMsMedian: expect.any(Number),
      pacedMsMedian: expect.any(Number),
      wireAndModuleMs: expect.any(Number),
      deframerMBps: expect.any(Number),
      unpacedSamples: 3,
      pacedSamples: 1,
      baudRate: 115200,
      targets: { overheadMsMedian: { met: expect.any(Boolean) }, pacedMsMedian: { met: expect.any(Boolean) }, deframerMBps: { met: expect.any(Boolean) } },
    });
    // The paced read cannot beat the wire: the six frames alone take ≈ 118 ms at 115200 baud.
    expect(result.pacedMsMedian).toBeGreaterThan(result.wireAndModuleMs * 0.9);
    expect(result.wireAndModuleMs).toBeCloseTo(((10 + 15 + 10 + 19 + 10 + 1295) * 10 * 1000) / 115200 + 15 + 15 + 150, 1);
  });

  test("bad flags exit 2", async () => {
    const { io, err } = captureIo();
    expect(await run(["--paced-runs", "zero"], io)).toBe(2);
    expect(err.join("")).toContain('Invalid --paced-runs "zero"');
    expect(await run(["--warmup-runs", "-1"], io)).toBe(2);
  });
});
