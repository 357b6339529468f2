import { describe, expect, test } from "bun:test";
import { VOICE_PROMPT_KEYS } from "@kiosk/contracts";
import { captureIo } from "../testing/capture-io.ts";
import { run } from "./voice-list.ts";

describe("./kiosk voice list", () => {
  test("prints every prompt with both captions, one JSON line each, in journey order", async () => {
    const { io, out } = captureIo();
    expect(await run([], io)).toBe(0);
    const lines = out.map((line) => JSON.parse(line));
    expect(lines.map((l) => l.key)).toEqual([...VOICE_PROMPT_KEYS]);
    expect(lines[0]).toEqual({ key: "attract", zh: "您好！请将身份证放在读卡区，开始核验。", en: "Hello. To start, place your ID card on the reader." });
  });

  test("refuses arguments", async () => {
    const { io, err } = captureIo();
    expect(await run(["--all"], io)).toBe(2);
    expect(err.join("")).toContain('Unexpected argument "--all"');
  });
});
