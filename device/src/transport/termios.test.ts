import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPtyPair, type PtyPair } from "../testing/index.ts";
import { SUPPORTED_BAUD_RATES, Termios, systemError, type LineSettings } from "./termios.ts";

const OPEN_FLAGS = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;
const RAW_8N1: LineSettings = {
  baudRate: 115200,
  dataBits: 8,
  stopBits: 1,
  parity: "none",
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true,
};

let pair: PtyPair;
let termios: Termios;

beforeAll(async () => {
  pair = await startPtyPair();
  termios = Termios.load();
});

afterAll(async () => {
  termios.unload();
  await pair.stop();
});

function withTty<T>(path: string, use: (fd: number) => T): T {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

describe("Termios", () => {
  test("the reader baud rates of spec §1.1 are supported", () => {
    expect(SUPPORTED_BAUD_RATES).toEqual(expect.arrayContaining([9600, 19200, 38400, 57600, 115200]));
  });

  test.each([9600, 19200, 38400, 57600, 115200])("configure() sets %p baud, read back through cfgetospeed", (baudRate) => {
    withTty(pair.pathA, (fd) => {
      termios.configure(fd, { ...RAW_8N1, baudRate });
      expect(termios.getBaudRate(fd)).toBe(baudRate);
    });
  });

  test("setBaudRate() changes only the speed", () => {
    withTty(pair.pathA, (fd) => {
      termios.configure(fd, RAW_8N1);
      termios.setBaudRate(fd, 19200);
      expect(termios.getBaudRate(fd)).toBe(19200);
    });
  });

  test("an unsupported baud rate is a RangeError", () => {
    withTty(pair.pathA, (fd) => {
      expect(() => termios.configure(fd, { ...RAW_8N1, baudRate: 12345 })).toThrow(RangeError);
      expect(() => termios.setBaudRate(fd, 0)).toThrow('Unsupported baud rate "0"');
    });
  });

  test("a file that is not a terminal fails with ENOTTY from tcgetattr", () => {
    const dir = mkdtempSync(join(tmpdir(), "kiosk-termios-"));
    try {
      const file = join(dir, "plain");
      writeFileSync(file, "x");
      withTty(file, (fd) => {
        expect(() => termios.configure(fd, RAW_8N1)).toThrow(expect.objectContaining({ code: "ENOTTY", syscall: "tcgetattr" }));
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a pty has no modem lines: get and set fail with ENOTTY", () => {
    withTty(pair.pathA, (fd) => {
      expect(() => termios.getModemStatus(fd)).toThrow(expect.objectContaining({ code: "ENOTTY" }));
      expect(() => termios.setModemLines(fd, { dtr: true })).toThrow(expect.objectContaining({ code: "ENOTTY" }));
    });
  });

  test("flush and an empty output queue work on a pty", () => {
    withTty(pair.pathA, (fd) => {
      termios.flush(fd);
      expect(termios.outputQueueBytes(fd)).toBe(0);
      termios.drain(fd);
    });
  });

  test("lock() is exclusive across open files until unlock()", () => {
    withTty(pair.pathA, (first) => {
      termios.lock(first);
      withTty(pair.pathA, (second) => {
        expect(() => termios.lock(second)).toThrow(expect.objectContaining({ code: "EAGAIN", syscall: "flock" }));
        termios.unlock(first);
        termios.lock(second);
        termios.unlock(second);
      });
    });
  });

  test("systemError() builds a Node-style error", () => {
    const error = systemError(2, "open", "/dev/ttyUSB9");
    expect(error).toMatchObject({ errno: 2, code: "ENOENT", syscall: "open", path: "/dev/ttyUSB9" });
    expect(error.message).toBe('open "/dev/ttyUSB9" failed: ENOENT');
  });
});
