import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { closeSync, constants, existsSync, lstatSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFfiPtyLink } from "./ffi-pty-link.ts";
import type { PtyLink } from "./pty-link.ts";

const dir = mkdtempSync(join(tmpdir(), "kiosk-ffi-pty-"));
let link: PtyLink | undefined;
const fds: number[] = [];
afterEach(async () => {
  for (const fd of fds.splice(0)) closeSync(fd);
  await link?.stop();
  link = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openTty(path: string) {
  const fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  fds.push(fd);
  return { fd, reader: Bun.file(fd).stream().getReader() };
}

/** Reads until `n` bytes came, or fails after a real-time deadline (the ptys are real kernel devices). */
async function readBytes(reader: ReturnType<typeof openTty>["reader"], n: number): Promise<number[]> {
  const got: number[] = [];
  const deadline = AbortSignal.timeout(2000);
  while (got.length < n) {
    const result = await Promise.race([reader.read(), new Promise<never>((_, reject) => deadline.addEventListener("abort", () => reject(new Error(`read ${got.length} of ${n} bytes`))))]);
    if (result.done) break;
    got.push(...result.value);
  }
  return got;
}

describe("startFfiPtyLink", () => {
  test("links two raw ptys at the given paths, bytes flowing both ways", async () => {
    link = await startFfiPtyLink({ pathA: join(dir, "a"), pathB: join(dir, "b") });
    expect(lstatSync(link.pathA).isSymbolicLink()).toBe(true);
    const a = openTty(link.pathA);
    const b = openTty(link.pathB);
    const frame = [0xaa, 0xaa, 0xaa, 0x96, 0x69, 0x00, 0x03, 0x12, 0xff, 0xee, 0x0d, 0x0a];
    writeSync(a.fd, new Uint8Array(frame));
    expect(await readBytes(b.reader, frame.length)).toEqual(frame);
    writeSync(b.fd, new Uint8Array([1, 2, 3]));
    expect(await readBytes(a.reader, 3)).toEqual([1, 2, 3]);
  });

  test("keeps copying after one side closes its port and opens it again", async () => {
    link = await startFfiPtyLink({ pathA: join(dir, "a"), pathB: join(dir, "b") });
    const b = openTty(link.pathB);
    const first = openTty(link.pathA);
    await first.reader.cancel();
    closeSync(fds.splice(fds.indexOf(first.fd), 1)[0]!);
    // Real time: a kiosk reconnecting takes a while, long enough for the link to see the slave closed.
    await Bun.sleep(100);
    const again = openTty(link.pathA);
    writeSync(b.fd, new Uint8Array([7, 8]));
    expect(await readBytes(again.reader, 2)).toEqual([7, 8]);
    writeSync(again.fd, new Uint8Array([9]));
    expect(await readBytes(b.reader, 1)).toEqual([9]);
  });

  test("stop hangs both ports up and removes the links", async () => {
    link = await startFfiPtyLink({ pathA: join(dir, "a"), pathB: join(dir, "b") });
    const a = openTty(link.pathA);
    const pending = a.reader.read().then(
      (result) => (result.done ? "hung up" : "data"),
      () => "hung up",
    );
    await link.stop();
    const stillOpen = Bun.sleep(2000).then(() => "still open");
    expect(await Promise.race([pending, stillOpen])).toBe("hung up");
    expect([existsSync(link.pathA), existsSync(link.pathB)]).toEqual([false, false]);
  });
});
