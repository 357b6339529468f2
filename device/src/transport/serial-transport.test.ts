import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { isKioskError } from "@kiosk/contracts";
import { spawnSync } from "node:child_process";
import { SerialPortMock } from "serialport";
import { startPtyPair, waitFor, type PtyPair } from "../testing/index.ts";
import type { TransportClosed } from "./byte-transport.ts";
import { SerialTransport } from "./serial-transport.ts";

let pair: PtyPair;
const transports: SerialTransport[] = [];

beforeEach(async () => {
  pair = await startPtyPair();
});

afterEach(async () => {
  for (const transport of transports.splice(0)) await transport.close();
  await pair.stop();
});

function transport(path: string, baudRate?: number): SerialTransport {
  const t = new SerialTransport(baudRate === undefined ? { path } : { path, baudRate });
  transports.push(t);
  return t;
}

/** Collects everything a transport receives. */
function collect(t: SerialTransport): { bytes: number[]; chunks: number } {
  const got = { bytes: [] as number[], chunks: 0 };
  t.onData((chunk) => {
    got.bytes.push(...chunk);
    got.chunks++;
  });
  return got;
}

function closes(t: SerialTransport): TransportClosed[] {
  const seen: TransportClosed[] = [];
  t.onClose((reason) => seen.push(reason));
  return seen;
}

function stty(path: string, ...args: string[]): string {
  const result = spawnSync("stty", ["-F", path, ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`stty failed: ${result.stderr}`);
  return result.stdout;
}

describe("SerialTransport over real ptys", () => {
  test("moves bytes both ways; a 1300-byte frame arrives intact", async () => {
    const a = transport(pair.pathA);
    const b = transport(pair.pathB);
    const atA = collect(a);
    const atB = collect(b);
    await a.open();
    await b.open();
    expect(a.description).toBe(`serial:${pair.pathA}`);
    expect(a.isOpen).toBe(true);

    const frame = Uint8Array.from({ length: 1300 }, (_, i) => (i * 7 + 3) & 0xff);
    await a.write(frame);
    await waitFor(() => atB.bytes.length >= frame.length, { message: () => `B got ${atB.bytes.length} bytes` });
    expect(atB.bytes).toEqual([...frame]);
    expect(atB.chunks).toBeGreaterThanOrEqual(1);

    await b.write(Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69));
    await waitFor(() => atA.bytes.length >= 5);
    expect(atA.bytes).toEqual([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
  });

  test("a write of a subarray sends only its bytes", async () => {
    const a = transport(pair.pathA);
    const b = transport(pair.pathB);
    const atB = collect(b);
    await a.open();
    await b.open();
    await a.write(Uint8Array.of(9, 1, 2, 3, 9).subarray(1, 4));
    await waitFor(() => atB.bytes.length >= 3);
    expect(atB.bytes).toEqual([1, 2, 3]);
  });

  test("close() reports unexpected: false, and the same path opens again", async () => {
    const a = transport(pair.pathA);
    const b = transport(pair.pathB);
    const atB = collect(b);
    const closed = closes(b);
    await a.open();
    await b.open();
    await b.close();
    expect(closed).toEqual([{ unexpected: false }]);
    expect(b.isOpen).toBe(false);
    await b.close(); // already closed: no second event
    expect(closed).toHaveLength(1);

    await b.open();
    await a.write(Uint8Array.of(4, 2));
    await waitFor(() => atB.bytes.length >= 2);
    expect(atB.bytes).toEqual([4, 2]);
  });

  test("the device vanishing closes with unexpected: true, and later writes fail with device-unavailable", async () => {
    const a = transport(pair.pathA);
    const closed = closes(a);
    await a.open();
    await pair.kill();
    await waitFor(() => closed.length > 0, { message: "no close event after the pty hung up" });
    expect(closed).toHaveLength(1);
    expect(closed[0]?.unexpected).toBe(true);
    expect(isKioskError(closed[0]?.error, "device-unavailable")).toBe(true);
    expect(a.isOpen).toBe(false);

    const failed = await a.write(Uint8Array.of(1)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isKioskError(failed, "device-unavailable")).toBe(true);
  });

  test("opening a missing path throws device-unavailable naming the path", async () => {
    const missing = `${pair.pathA}-missing`;
    const error = await transport(missing)
      .open()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect((error as Error).message).toContain(`"${missing}" does not exist`);
    expect((error as Error).message).toContain("plugged in");
  });

  test("opening a port another process holds throws device-unavailable saying it is in use", async () => {
    await transport(pair.pathA).open();
    const error = await transport(pair.pathA)
      .open()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isKioskError(error, "device-unavailable")).toBe(true);
    expect((error as Error).message).toContain("in use");
  });

  test("open() applies 115200 baud raw 8N1 without flow control to the tty", async () => {
    // Start from a cooked 9600-baud line so the check can only pass if open() changed it.
    stty(pair.pathA, "sane", "9600", "crtscts", "ixon");
    expect(stty(pair.pathA, "-a")).toContain("speed 9600 baud");
    const a = transport(pair.pathA);
    await a.open();
    const settings = stty(pair.pathA, "-a");
    expect(settings).toContain("speed 115200 baud");
    const flags = new Set(settings.split(/[\s;]+/));
    for (const flag of ["cs8", "-parenb", "-cstopb", "-crtscts", "clocal", "cread", "-icanon", "-echo", "-isig", "-iexten", "-opost", "-ixon", "-ixoff", "-icrnl"]) {
      expect(flags).toContain(flag);
    }
    expect(settings).toMatch(/min = 1;\s*time = 0;/);
  });

  test("a second open() while open is a programming error", async () => {
    const a = transport(pair.pathA);
    await a.open();
    await expect(a.open()).rejects.toThrow("it is open");
  });

  test("an unsupported baud rate is a RangeError (a config mistake, not a device to retry)", async () => {
    const t = transport(pair.pathA, 12345);
    await expect(t.open()).rejects.toThrow(RangeError);
    expect(t.isOpen).toBe(false);
  });
});

describe("SerialTransport with an injected binding", () => {
  test("runs over serialport's MockBinding", async () => {
    // The dual-package trap (toolchain notes): reach MockBinding through SerialPortMock.
    const binding = SerialPortMock.binding;
    binding.createPort("/dev/mock-reader", { echo: true, record: true });
    try {
      const t = new SerialTransport({ path: "/dev/mock-reader", binding });
      const got = collect(t);
      const closed = closes(t);
      await t.open();
      await t.write(Uint8Array.of(5, 6, 7));
      await waitFor(() => got.bytes.length >= 3);
      expect(got.bytes).toEqual([5, 6, 7]);
      await t.close();
      expect(closed).toEqual([{ unexpected: false }]);
    } finally {
      binding.reset();
    }
  });
});
