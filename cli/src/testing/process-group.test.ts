import { afterEach, describe, expect, test } from "bun:test";
import { ProcessGroup } from "./process-group.ts";

let group: ProcessGroup | undefined;
afterEach(async () => {
  await group?.stop("SIGKILL");
  group = undefined;
});

// Starts `script` under sh and waits until exactly `processes` processes of its tree run.
async function startTree(script: string, processes: number): Promise<ProcessGroup> {
  group = ProcessGroup.start("sh", ["-c", script], { cwd: "/", env: {} });
  const started = group;
  const deadline = performance.now() + 5_000;
  while (started.running().length !== processes) {
    if (performance.now() > deadline) throw new Error(`Expected "${processes}" processes, found ${started.running().length}: ${started.output}`);
    await Bun.sleep(10);
  }
  return started;
}

// Asked of ps, not of the code under test; a zombie (state Z) has ended and is not running.
const stillRunning = (pids: readonly number[]): number[] =>
  pids.filter((pid) => {
    const state = Bun.spawnSync(["ps", "-o", "stat=", "-p", String(pid)]).stdout.toString().trim();
    return state !== "" && !state.startsWith("Z");
  });

describe("ProcessGroup", () => {
  test("a tree that stops on the signal ends without a kill, and no process of it is left", async () => {
    const tree = await startTree("sleep 1000 & sleep 1000 & wait", 3);
    const pids = tree.running();
    const exit = await tree.stop("SIGTERM", 5_000);
    expect(exit).toEqual({ code: null, signal: "SIGTERM", killed: 0 });
    expect(tree.running()).toEqual([]);
    expect(stillRunning(pids)).toEqual([]);
  });

  test("processes that ignore the signal, or left the group, are killed after the grace period", async () => {
    // SIGINT ignored by sh and both sleeps (an ignored signal stays ignored across exec); setsid moves one sleep to a group of its own.
    const tree = await startTree("trap '' INT; sleep 1000 & setsid sleep 1000 & wait", 3);
    const pids = tree.running();
    const exit = await tree.stop("SIGINT", 300);
    expect(exit).toEqual({ code: null, signal: "SIGKILL", killed: 3 });
    expect(tree.running()).toEqual([]);
    expect(stillRunning(pids)).toEqual([]);
  });

  test("stopping twice gives the same result, and a tree that already ended is just collected", async () => {
    const tree = await startTree("exit 3", 0);
    const first = tree.stop();
    expect(tree.stop()).toBe(first);
    expect(await first).toEqual({ code: 3, signal: null, killed: 0 });
  });
});
