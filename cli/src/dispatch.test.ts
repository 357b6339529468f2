import { describe, expect, test } from "bun:test";
import type { CommandEntry } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";
import { dispatch, helpText } from "./dispatch.ts";
import { captureIo as io } from "./testing/capture-io.ts";

const calls: string[][] = [];
const entry = (words: string[]): CommandEntry => ({
  words,
  args: "",
  summary: `${words.join(" ")} summary`,
  load: async () => ({
    run: async (args) => {
      calls.push([...words, "|", ...args]);
      return 0;
    },
  }),
});
const commands = [entry(["bench"]), entry(["bench", "idcard"]), entry(["demo"])];

describe("dispatch", () => {
  test("help lists every real subcommand with one line each", async () => {
    const { io: cli, out } = io();
    expect(await dispatch(COMMANDS, ["help"], cli)).toBe(0);
    const text = out.join("");
    for (const command of COMMANDS) expect(text).toContain(`${command.words.join(" ")}`);
    expect(text.split("\n").filter((line) => line.startsWith("  "))).toHaveLength(COMMANDS.length + 1);
  });

  test("runs the command naming the most words, with the remaining arguments", async () => {
    calls.length = 0;
    const { io: cli } = io();
    expect(await dispatch(commands, ["bench", "idcard", "--quick"], cli)).toBe(0);
    expect(await dispatch(commands, ["bench", "face"], cli)).toBe(0);
    expect(calls).toEqual([
      ["bench", "idcard", "|", "--quick"],
      ["bench", "|", "face"],
    ]);
  });

  test("an unknown command exits 2 and points to help", async () => {
    const { io: cli, err } = io();
    expect(await dispatch(commands, ["nope"], cli)).toBe(2);
    expect(err.join("")).toContain('Unknown command "nope"');
  });

  test("no command prints help and exits 2", async () => {
    const { io: cli, out } = io();
    expect(await dispatch(commands, [], cli)).toBe(2);
    expect(out.join("")).toBe(helpText(commands));
  });
});
