import { describe, expect, test } from "bun:test";
import { run } from "./bench-sync.ts";
import { captureIo } from "../testing/capture-io.ts";

describe("./kiosk bench sync", () => {
  test("an empty or non-whole flag value exits 2 before anything runs, naming the flag", async () => {
    for (const [flag, value] of [
      ["--records", ""],
      ["--records", "1e9.5"],
      ["--samples", " "],
      ["--verify-workers", ""],
      ["--verify-workers", "-1"],
    ] as const) {
      const { io, err, out } = captureIo();
      expect(await run([`${flag}=${value}`], io)).toBe(2);
      expect(err.join("")).toContain(`Invalid ${flag} "${value}"`);
      expect(out).toEqual([]);
    }
  });
});
