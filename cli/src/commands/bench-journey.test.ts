import { describe, expect, test } from "bun:test";
import { run } from "./bench-journey.ts";
import { captureIo } from "../testing/capture-io.ts";

describe("./kiosk bench journey", () => {
  test("a --runs that is not a whole number of at least 1 exits 2 before anything starts", async () => {
    for (const value of ["", "0", "2.5", "many"]) {
      const { io, err, out } = captureIo();
      expect(await run([`--runs=${value}`], io)).toBe(2);
      expect(err.join("")).toContain(`Invalid --runs "${value}"`);
      expect(out).toEqual([]);
    }
  });
});
