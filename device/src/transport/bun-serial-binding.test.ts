import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { PortInfo } from "@serialport/bindings-interface" with { "resolution-mode": "require" };
import { SerialPort } from "serialport";
import { startPtyPair, waitFor, type PtyPair } from "../testing/index.ts";
import { BunSerialBinding, type BunSerialPort } from "./bun-serial-binding.ts";

let pair: PtyPair;
const opened: BunSerialPort[] = [];

beforeEach(async () => {
  pair = await startPtyPair();
});

afterEach(async () => {
  for (const port of opened.splice(0)) if (port.isOpen) await port.close();
  await pair.stop();
});

async function open(path: string, baudRate = 115200): Promise<BunSerialPort> {
  const port = await new BunSerialBinding().open({ path, baudRate });
  opened.push(port);
  return port;
}

async function readBytes(port: BunSerialPort, count: number): Promise<number[]> {
  const out: number[] = [];
  const buffer = Buffer.alloc(65536);
  while (out.length < count) {
    const { bytesRead } = await port.read(buffer, 0, buffer.length);
    out.push(...buffer.subarray(0, bytesRead));
  }
  return out;
}

describe("BunSerialBinding.open", () => {
  test("moves bytes both ways between two ptys", async () => {
    const a = await open(pair.pathA);
    const b = await open(pair.pathB);
    await a.write(Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]));
    expect(await readBytes(b, 5)).toEqual([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
    await b.write(Buffer.from([1, 2]));
    expect(await readBytes(a, 2)).toEqual([1, 2]);
  });

  test("a read smaller than the arrived chunk keeps the rest for the next read", async () => {
    const a = await open(pair.pathA);
    const b = await open(pair.pathB);
    await a.write(Buffer.from([1, 2, 3, 4, 5]));
    const buffer = Buffer.alloc(8);
    const first = await b.read(buffer, 0, 2);
    expect(first.bytesRead).toBeGreaterThanOrEqual(1);
    const rest = await readBytes(b, 5 - first.bytesRead);
    expect([...buffer.subarray(0, first.bytesRead), ...rest]).toEqual([1, 2, 3, 4, 5]);
  });

  test("a pending read does not block the event loop", async () => {
    const a = await open(pair.pathA);
    const b = await open(pair.pathB);
    const pending = b.read(Buffer.alloc(16), 0, 16);
    let timerRan = false;
    setTimeout(() => {
      timerRan = true;
    }, 0);
    await waitFor(() => timerRan);
    await a.write(Buffer.from([7]));
    expect((await pending).bytesRead).toBe(1);
  });

  test("close() cancels a pending read with canceled: true", async () => {
    const b = await open(pair.pathB);
    const pending = b.read(Buffer.alloc(16), 0, 16);
    await b.close();
    await expect(pending).rejects.toMatchObject({ canceled: true });
    expect(b.isOpen).toBe(false);
    await expect(b.read(Buffer.alloc(1), 0, 1)).rejects.toMatchObject({ canceled: true });
    await expect(b.close()).rejects.toThrow("Port is not open");
  });

  test("the other end vanishing fails the pending read and later writes with disconnected: true", async () => {
    const a = await open(pair.pathA);
    const pending = a.read(Buffer.alloc(16), 0, 16);
    await pair.kill();
    await expect(pending).rejects.toMatchObject({ disconnected: true });
    await expect(a.write(Buffer.from([1]))).rejects.toMatchObject({ disconnected: true, code: "EIO" });
  });

  test("a full kernel buffer makes write() wait, not fail, until the other side reads", async () => {
    const a = await open(pair.pathA);
    const b = await open(pair.pathB);
    // Far more than the pty and socat buffer, so writeSync must hit EAGAIN.
    const big = Buffer.alloc(512 * 1024, 0x5a);
    let written = false;
    const writing = a.write(big).then(() => {
      written = true;
    });
    const received = await readBytes(b, big.length);
    await writing;
    expect(written).toBe(true);
    expect(received.length).toBe(big.length);
    expect(received.every((byte) => byte === 0x5a)).toBe(true);
  });

  test("close() cancels a write waiting for buffer space", async () => {
    const a = await open(pair.pathA);
    await open(pair.pathB); // never read, so the buffers fill up
    const writing = a.write(Buffer.alloc(512 * 1024, 1));
    let settled = false;
    writing.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    await a.close();
    await expect(writing).rejects.toMatchObject({ canceled: true });
  });

  test("the port is locked while open and can be reopened after close()", async () => {
    const first = await open(pair.pathA);
    await expect(open(pair.pathA)).rejects.toMatchObject({ code: "EAGAIN", syscall: "flock", path: pair.pathA });
    await first.close();
    const again = await open(pair.pathA);
    expect(again.isOpen).toBe(true);
  });

  test("lock: false allows a second open", async () => {
    const binding = new BunSerialBinding();
    const first = await binding.open({ path: pair.pathA, baudRate: 115200, lock: false });
    const second = await binding.open({ path: pair.pathA, baudRate: 115200, lock: false });
    opened.push(first, second);
    expect(second.isOpen).toBe(true);
  });

  test("a missing path fails with ENOENT and the path", async () => {
    await expect(open("/dev/no-such-tty")).rejects.toMatchObject({ code: "ENOENT", path: "/dev/no-such-tty" });
  });

  test("bad options are rejected before anything is opened", async () => {
    const binding = new BunSerialBinding();
    await expect(binding.open({ path: "", baudRate: 115200 })).rejects.toThrow(TypeError);
    await expect(binding.open({ path: pair.pathA, baudRate: 12345 })).rejects.toThrow(RangeError);
    await expect(binding.open({ path: pair.pathA, baudRate: 115200, stopBits: 1.5 })).rejects.toThrow(RangeError);
  });

  test("update() and getBaudRate() go through termios", async () => {
    const a = await open(pair.pathA, 9600);
    expect(await a.getBaudRate()).toEqual({ baudRate: 9600 });
    await a.update({ baudRate: 57600 });
    expect(await a.getBaudRate()).toEqual({ baudRate: 57600 });
    await expect(a.update({ baudRate: 1234 })).rejects.toThrow(RangeError);
  });

  test("flush() and drain() resolve; set() and get() report that a pty has no modem lines", async () => {
    const a = await open(pair.pathA);
    await a.write(Buffer.from([1, 2, 3]));
    await a.drain();
    await a.flush();
    await expect(a.get()).rejects.toMatchObject({ code: "ENOTTY" });
    await expect(a.set({ dtr: true, rts: true })).rejects.toMatchObject({ code: "ENOTTY" });
  });
});

describe("BunSerialBinding.list", () => {
  const port: PortInfo = {
    path: "/dev/ttyUSB0",
    manufacturer: "FTDI",
    serialNumber: "A1",
    pnpId: undefined,
    locationId: undefined,
    productId: "6001",
    vendorId: "0403",
  };
  const missingUdevadm = Object.assign(new Error('Executable not found in $PATH: "udevadm"'), {
    code: "ENOENT",
    path: "udevadm",
    syscall: "spawn udevadm",
  });

  test("returns what udev (serialport's list) finds", async () => {
    const binding = new BunSerialBinding({ listPorts: async () => [port], listPortsFallback: async () => [] });
    expect(await binding.list()).toEqual([port]);
  });

  test("falls back to sysfs when udevadm is not installed", async () => {
    const binding = new BunSerialBinding({
      listPorts: async () => {
        throw missingUdevadm;
      },
      listPortsFallback: async () => [port],
    });
    expect(await binding.list()).toEqual([port]);
  });

  test("falls back to sysfs when udev finds nothing", async () => {
    const binding = new BunSerialBinding({ listPorts: async () => [], listPortsFallback: async () => [port] });
    expect(await binding.list()).toEqual([port]);
  });

  test("other failures are passed on", async () => {
    const binding = new BunSerialBinding({
      listPorts: async () => {
        throw new Error("udevadm exited with error code: 1");
      },
      listPortsFallback: async () => [port],
    });
    await expect(binding.list()).rejects.toThrow("udevadm exited");
  });

  test("lists real ports under Bun with the default listers", async () => {
    const ports = await new BunSerialBinding().list();
    expect(Array.isArray(ports)).toBe(true);
    for (const found of ports) expect(found.path).toMatch(/^\/dev\//);
  });

  test("serialport's own SerialPort.list() runs under Bun: ports with udevadm, a clean ENOENT without it", async () => {
    const hasUdevadm = Bun.which("udevadm") !== null;
    // Under Bun, spawn() of a program missing from PATH throws synchronously, so wrap the call.
    const outcome = await (async () => SerialPort.list())().then(
      (ports) => ({ ports }),
      (error: NodeJS.ErrnoException) => ({ error }),
    );
    if (hasUdevadm) expect(outcome).toEqual({ ports: expect.any(Array) });
    else expect(outcome).toEqual({ error: expect.objectContaining({ code: "ENOENT", path: "udevadm" }) });
  });
});
