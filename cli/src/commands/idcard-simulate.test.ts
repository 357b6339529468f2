import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { waitFor } from "@kiosk/device/testing";
import { existsSync, lstatSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as read } from "./idcard-read.ts";
import { run } from "./idcard-simulate.ts";
import { captureIo } from "../testing/capture-io.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kiosk-idcard-simulate-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("./kiosk idcard simulate", () => {
  test("serves the demo card on LINK until Ctrl-C, then removes LINK; idcard read gets the card", async () => {
    const controller = new AbortController();
    const { io, out, err } = captureIo({ cwd: dir, signal: controller.signal });
    const serving = run(["--port", "reader-link", "--no-pacing"], io);
    await waitFor(() => out.length > 0 || err.length > 0, { timeoutMs: 5000, message: () => err.join("") });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^Simulated ID-card reader ready on .*reader-link: demo card "resident-zhou-mingyuan\.json" \(resident\) on the reader, pacing off, rereads; Ctrl-C stops it\n$/);
    expect(lstatSync(join(dir, "reader-link")).isSymbolicLink()).toBe(true);

    const reading = captureIo({ cwd: dir });
    expect(await read(["--port", join(dir, "reader-link"), "--timeout-ms", "5000"], reading.io)).toBe(0);
    expect(JSON.parse(reading.out[0] ?? "").card).toMatchObject({ cardType: "resident", name: "周明远", idNumber: "110105199203140374" });

    controller.abort(new Error("received SIGINT"));
    expect(await serving).toBe(0);
    expect(existsSync(join(dir, "reader-link"))).toBe(false);
  });

  test("--empty --control: starts with no card, lists, places and removes cards and unplugs/replugs the reader over a unix socket", async () => {
    const controller = new AbortController();
    const { io, out, err } = captureIo({ cwd: dir, signal: controller.signal });
    const serving = run(["--port", "control-link", "--no-pacing", "--empty", "--control", "control.sock"], io);
    await waitFor(() => out.length > 0 || err.length > 0, { timeoutMs: 5000, message: () => err.join("") });
    expect(out[0]).toContain(": no card on the reader, pacing off");
    expect(out[0]).toContain(`control socket ${join(dir, "control.sock")}`);
    const socket = join(dir, "control.sock");
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`http://simulator${path}`, { method, unix: socket, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const readCard = async () => {
      const reading = captureIo({ cwd: dir });
      const code = await read(["--port", join(dir, "control-link"), "--timeout-ms", "1500"], reading.io);
      return code === 0 ? (JSON.parse(reading.out[0] ?? "").card as { cardType: string }).cardType : `exit ${code}`;
    };

    const cards = (await (await control("GET", "/cards")).json()) as { id: string }[];
    expect(cards.map((card) => card.id)).toContain("hmt-chen-jiaxin");
    expect(await (await control("GET", "/status")).json()).toEqual({ cardId: null, connected: true });
    expect(await readCard(), "no card within the timeout").toBe("exit 2");
    expect((await control("PUT", "/card", { id: "hmt-chen-jiaxin" })).status).toBe(204);
    expect(await readCard()).toBe("hmt-residence");
    expect((await control("DELETE", "/card")).status).toBe(204);
    expect(await readCard()).not.toBe("hmt-residence");

    expect((await control("PUT", "/reader", { connected: false })).status).toBe(204);
    expect(existsSync(join(dir, "control-link"))).toBe(false);
    expect((await control("PUT", "/reader", { connected: true })).status).toBe(204);
    expect(lstatSync(join(dir, "control-link")).isSymbolicLink()).toBe(true);
    expect((await control("PUT", "/card", { id: "foreign-2023-claire-dubois" })).status).toBe(204);
    expect(await readCard()).toBe("foreign-permanent-2023");

    controller.abort(new Error("received SIGINT"));
    expect(await serving).toBe(0);
    expect([existsSync(join(dir, "control-link")), existsSync(socket)]).toEqual([false, false]);
  });

  test("usage and input errors exit 2 with a message", async () => {
    await writeFile(join(dir, "plain-file"), "x");
    await writeFile(join(dir, "bad-card.json"), JSON.stringify({ cardType: "resident" }));
    await writeFile(join(dir, "bad-faults.json"), JSON.stringify([{ fault: "explode" }]));
    const cases: [string[], RegExp][] = [
      [[], /Missing --port LINK/],
      [["--port", "plain-file"], /exists and is not a symlink/],
      [["--port", "x", "--baud", "fast"], /Invalid --baud "fast"/],
      [["--port", "x", "--card", "missing.json"], /ENOENT|no such file/i],
      [["--port", "x", "--card", "bad-card.json"], /Invalid card file/],
      [["--port", "x", "--faults", "bad-faults.json"], /Invalid fault script: step 0: unknown fault "explode"/],
      [["--port", "x", "--nope"], /Unknown option/],
      [["--port", "x", "--cards", "."], /--cards needs --control SOCKET/],
      [["--port", "x", "--control", "c.sock", "--cards", "no-such-dir"], /ENOENT|no such file/i],
    ];
    for (const [args, message] of cases) {
      const { io, out, err } = captureIo({ cwd: dir });
      expect(await run(args, io)).toBe(2);
      expect(out).toEqual([]);
      expect(err.join("")).toMatch(message);
    }
  });
});
