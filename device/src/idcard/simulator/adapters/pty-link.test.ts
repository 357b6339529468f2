import { describe, expect, test } from "bun:test";
import { closeSync, constants, existsSync, lstatSync, openSync, readSync, writeSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "../../../testing/index.ts";
import { startPtyLink } from "./pty-link.ts";

const OPEN_FLAGS = constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK;

function readAvailable(fd: number): number[] {
  const buffer = Buffer.alloc(64);
  try {
    return [...buffer.subarray(0, readSync(fd, buffer))];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EAGAIN") return [];
    throw error;
  }
}

describe("startPtyLink at chosen paths", () => {
  test("links the ptys where asked, carries bytes, and stop() removes the links", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kiosk-pty-link-"));
    try {
      const link = await startPtyLink({ pathA: join(dir, "kiosk-reader"), pathB: join(dir, "sim") });
      expect(lstatSync(link.pathA).isSymbolicLink()).toBe(true);
      const a = openSync(link.pathA, OPEN_FLAGS);
      const b = openSync(link.pathB, OPEN_FLAGS);
      try {
        writeSync(a, Buffer.from([7, 8]));
        const got: number[] = [];
        await waitFor(() => got.push(...readAvailable(b)) >= 2);
        expect(got).toEqual([7, 8]);
      } finally {
        closeSync(a);
        closeSync(b);
      }
      await link.stop();
      expect(existsSync(link.pathA)).toBe(false);
      expect(existsSync(dir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("kill() removes the links too, as a device node disappears on unplug", async () => {
    const link = await startPtyLink();
    await link.kill();
    expect(() => lstatSync(link.pathA)).toThrow();
    expect(() => lstatSync(link.pathB)).toThrow();
    await link.stop();
  });
});
