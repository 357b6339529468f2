import { afterEach, describe, expect, test } from "bun:test";
import { systemClock } from "@kiosk/contracts";
import { ReaderResponder, ReaderSimulator, demoCardPath, loadCardFile, serialReaderTransport, startPtyLink } from "@kiosk/device";
import { run } from "./idcard-read.ts";
import { captureIo } from "../testing/capture-io.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A simulated reader (unpaced) on a pty pair; returns the path the kiosk opens. */
async function simulatedReader(cardPresent = true): Promise<string> {
  const link = await startPtyLink();
  cleanups.push(() => link.stop());
  const card = await loadCardFile(demoCardPath("foreign-2017"));
  const simulator = new ReaderSimulator({
    transport: await serialReaderTransport({ path: link.pathB })(),
    clock: systemClock,
    responder: new ReaderResponder({ card: card.simulated, cardPresent }),
    pacing: false,
  });
  await simulator.start();
  cleanups.push(() => simulator.stop());
  return link.pathA;
}

describe("./kiosk idcard read", () => {
  test("reads one card from a serial reader and prints the decode JSON, exit 0", async () => {
    const port = await simulatedReader();
    const { io, out, err } = captureIo();
    expect(await run(["--port", port, "--timeout-ms", "5000"], io)).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? "")).toEqual({
      ok: true,
      card: {
        cardType: "foreign-permanent-2017",
        name: "哈特利",
        nameEn: "HARTLEY, OLIVER JAMES",
        sex: "male",
        birthDate: "1987-09-05",
        idNumber: "GBR110087090518",
        validFrom: "2019-03-01",
        validUntil: "2029-02-28",
        nationality: "GBR",
        photo: { format: "webp", bytes: 1024, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), width: 102, height: 126 },
        fingerprintBytes: 0,
      },
    });
    expect(err).toEqual([]);
  });

  test("no card within the timeout: no-card, exit 2", async () => {
    const port = await simulatedReader(false);
    const { io, out } = captureIo();
    expect(await run(["--port", port, "--timeout-ms", "400"], io)).toBe(2);
    expect(JSON.parse(out[0] ?? "")).toEqual({ ok: false, error: { code: "no-card", message: "No card was read within 400 ms: place a card on the reader" } });
  });

  test("a missing serial device: device-unavailable at once, exit 2", async () => {
    const { io, out } = captureIo();
    const started = performance.now();
    expect(await run(["--port", "/dev/kiosk-no-such-reader", "--timeout-ms", "10000"], io)).toBe(2);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(JSON.parse(out[0] ?? "")).toEqual({ ok: false, error: { code: "device-unavailable", message: expect.stringContaining('"/dev/kiosk-no-such-reader" does not exist') } });
  });

  test("bad usage: exit 2 with a usage error", async () => {
    for (const args of [[], ["--port", "a", "--hid", "0400:c35a"], ["--hid", "nope"], ["--port", "a", "--timeout-ms", "-1"], ["--hid", "0400:c35a", "--baud", "9600"], ["--what"]]) {
      const { io, out } = captureIo();
      expect(await run(args, io)).toBe(2);
      expect(JSON.parse(out[0] ?? "").error.code).toBe("usage");
    }
  });

  test("Ctrl-C while waiting: exit 1, nothing printed", async () => {
    const port = await simulatedReader(false);
    const controller = new AbortController();
    const { io, out } = captureIo({ signal: controller.signal });
    const running = run(["--port", port, "--timeout-ms", "10000"], io);
    controller.abort(new Error("received SIGINT"));
    expect(await running).toBe(1);
    expect(out).toEqual([]);
  });
});
