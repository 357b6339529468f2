/**
 * `./kiosk idcard simulate` and `./kiosk idcard read` as real processes, the
 * way a technician runs them: the entry point `./kiosk` execs (`bun
 * cli/src/main.ts`), talking over the simulator's pty link. Waits use deadlines.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { waitFor } from "@kiosk/device/testing";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const MAIN = join(import.meta.dir, "../main.ts");
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

function kiosk(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}

describe("idcard simulate + idcard read as processes", () => {
  test("read prints the simulated card; simulate stops on SIGINT and removes its link", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kiosk-idcard-processes-"));
    dirs.push(dir);
    const link = join(dir, "ttyKIOSK");
    const faults = join(dir, "faults.json");
    // Garbage before the first find reply and a split read reply: the reader must cope.
    await writeFile(faults, JSON.stringify([{ command: "findCard", fault: "garbage", bytes: 9 }, { command: "readBase", fault: "split", chunks: 3, gapMs: 15 }]));
    const simulate = kiosk(["idcard", "simulate", "--port", link, "--card", join(import.meta.dir, "../../../device/src/idcard/simulator/demo-cards/foreign-2023-claire-dubois.json"), "--module-ms", "30", "--faults", faults]);
    await waitFor(() => simulate.out().includes("\n") || simulate.child.exitCode !== null, { timeoutMs: 10_000, message: () => simulate.err() });
    expect(simulate.out()).toContain(`ready on ${link}: card "foreign-2023-claire-dubois.json" (foreign-permanent-2023)`);
    expect(simulate.out()).toContain("paced at 115200 baud, chip read 30 ms");

    const read = kiosk(["idcard", "read", "--port", link, "--timeout-ms", "8000"]);
    expect(await read.exited).toBe(0);
    expect(JSON.parse(read.out())).toEqual({
      ok: true,
      card: {
        cardType: "foreign-permanent-2023",
        name: "克莱尔·杜布瓦",
        nameEn: "DUBOIS, CLAIRE MARIE",
        sex: "female",
        birthDate: "1990-02-12",
        idNumber: "931250199002120028",
        validFrom: "2024-01-15",
        validUntil: "2034-01-14",
        nationality: "FRA",
        photo: { format: "webp", bytes: 1024, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), width: 102, height: 126 },
        fingerprintBytes: 0,
      },
    });

    simulate.child.kill("SIGINT");
    expect(await simulate.exited).toBe(0);
    expect(existsSync(link)).toBe(false);
  });

  test("read against a link nobody serves, or a HID reader that is not plugged in: exit 2 with device-unavailable", async () => {
    const serial = kiosk(["idcard", "read", "--port", "/tmp/kiosk-nobody-serves-this", "--timeout-ms", "3000"]);
    expect(await serial.exited).toBe(2);
    expect(JSON.parse(serial.out()).error).toEqual({ code: "device-unavailable", message: expect.stringContaining("does not exist") });
    // node-hid needs a real process: under bun test its loader takes the test runner for Jest.
    const hid = kiosk(["idcard", "read", "--hid", "2b8b:2721", "--timeout-ms", "3000"]);
    expect(await hid.exited).toBe(2);
    expect(JSON.parse(hid.out()).error).toEqual({ code: "device-unavailable", message: expect.stringContaining('No HID device "2b8b:2721" is connected') });
  });
});
