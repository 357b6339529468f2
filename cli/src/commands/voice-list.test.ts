import { describe, expect, test } from "bun:test";
import { SESSION_PROMPT_KEYS } from "@kiosk/contracts";
import { captureIo } from "../testing/capture-io.ts";
import { run } from "./voice-list.ts";

describe("./kiosk voice list", () => {
  test("prints every prompt with both captions, one JSON line each, in the order of the session's prompt keys", async () => {
    const { io, out } = captureIo();
    expect(await run([], io)).toBe(0);
    const lines = out.map((line) => JSON.parse(line));
    expect(lines.map((l) => l.key)).toEqual([...SESSION_PROMPT_KEYS]);
    expect(lines[0]).toEqual({ key: "language", zh: "请选择语言。", en: "Please choose your language." });
  });

  test("refuses arguments", async () => {
    const { io, err } = captureIo();
    expect(await run(["--all"], io)).toBe(2);
    expect(err.join("")).toContain('Unexpected argument "--all"');
  });
});
