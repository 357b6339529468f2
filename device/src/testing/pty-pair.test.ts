import { describe, expect, test } from "bun:test";
import { closeSync, constants, existsSync, lstatSync, openSync, readSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { startPtyPair } from "./pty-pair.ts";
import { waitFor } from "./wait-for.ts";

const OPEN_FLAGS = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;

function readAvailable(fd: number): number[] {
  const buffer = Buffer.alloc(256);
  try {
    const n = readSync(fd, buffer);
    return [...buffer.subarray(0, n)];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EAGAIN") return [];
    throw error;
  }
}

describe("startPtyPair", () => {
  test("creates two linked ptys that carry bytes both ways", async () => {
    await using pair = await startPtyPair();
    expect(lstatSync(pair.pathA).isSymbolicLink()).toBe(true);
    expect(lstatSync(pair.pathB).isSymbolicLink()).toBe(true);
    const a = openSync(pair.pathA, OPEN_FLAGS);
    const b = openSync(pair.pathB, OPEN_FLAGS);
    try {
      writeSync(a, Buffer.from([1, 2, 3]));
      const atB: number[] = [];
      await waitFor(() => atB.push(...readAvailable(b)) >= 3);
      expect(atB).toEqual([1, 2, 3]);

      writeSync(b, Buffer.from([9, 8]));
      const atA: number[] = [];
      await waitFor(() => atA.push(...readAvailable(a)) >= 2);
      expect(atA).toEqual([9, 8]);
    } finally {
      closeSync(a);
      closeSync(b);
    }
  });

  test("stop() ends socat and removes the temporary directory; a second stop() is harmless", async () => {
    const pair = await startPtyPair();
    const dir = dirname(pair.pathA);
    expect(existsSync(dir)).toBe(true);
    await pair.stop();
    expect(existsSync(dir)).toBe(false);
    await pair.stop();
  });

  test("kill() hangs the ptys up, like a pulled cable", async () => {
    await using pair = await startPtyPair();
    const a = openSync(pair.pathA, OPEN_FLAGS);
    try {
      await pair.kill();
      // A hung-up tty refuses writes with EIO.
      expect(() => writeSync(a, Buffer.from([1]))).toThrow(expect.objectContaining({ code: "EIO" }));
    } finally {
      closeSync(a);
    }
  });

  test("fails with a clear message when socat is missing", async () => {
    await expect(startPtyPair({ socatPath: "/nonexistent/socat" })).rejects.toThrow(
      'Cannot start "/nonexistent/socat": socat is not installed',
    );
    // Bun resolves a bare name on PATH itself and throws from spawn() instead of emitting 'error'.
    await expect(startPtyPair({ socatPath: "no-such-socat-program" })).rejects.toThrow("socat is not installed");
  });
});
