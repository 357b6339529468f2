import { describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EXIT } from "../io.ts";
import type { PackageHost } from "../system-packages.ts";
import { captureIo } from "../testing/capture-io.ts";
import { run } from "./demo.ts";

describe("./kiosk demo", () => {
  test("without socat and not as root, prints the apt-get line and starts nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kiosk-demo-test-"));
    try {
      const queried: string[] = [];
      const packages: PackageHost = {
        asRoot: false,
        query: (argv) => {
          queried.push(argv.at(-1) ?? "");
          return { exitCode: 1, stdout: "" };
        },
        install: () => Promise.reject(new Error("apt-get must not run when not root")),
      };
      const dataDir = join(dir, "demo");
      const { io, out, err } = captureIo({ cwd: dir });
      expect(await run(["--data-dir", dataDir], io, { packages })).toBe(EXIT.failure);
      expect(queried).toEqual(["socat"]);
      expect(err.join("")).toBe(
        "./kiosk demo needs these system packages:\n" +
          "  socat: the pty pair between the simulated ID-card reader and the kiosk\n" +
          "Install them with:\n" +
          "  sudo apt-get install -y --no-install-recommends socat\n",
      );
      expect(out).toEqual([]);
      expect(existsSync(dataDir), "nothing was started or written").toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
