import { describe, expect, test } from "bun:test";
import { installCommand, missingPackages, type RunCommand } from "./system-packages.ts";

describe("missingPackages", () => {
  test("keeps only packages dpkg does not report as installed", () => {
    const calls: string[][] = [];
    const run: RunCommand = (argv) => {
      calls.push([...argv]);
      const name = argv[argv.length - 1];
      if (name === "socat") return { exitCode: 0, stdout: "install ok installed" };
      if (name === "ffmpeg") return { exitCode: 0, stdout: "deinstall ok config-files" };
      return { exitCode: 1, stdout: "" };
    };
    expect(missingPackages(["socat", "ffmpeg", "chromium"], run)).toEqual(["ffmpeg", "chromium"]);
    expect(calls[0]).toEqual(["dpkg-query", "-W", "-f=${Status}", "socat"]);
  });
});

describe("installCommand", () => {
  test("gives the exact line, with sudo when not root", () => {
    expect(installCommand(["socat", "ffmpeg"], true)).toBe("apt-get install -y --no-install-recommends socat ffmpeg");
    expect(installCommand(["socat"], false)).toBe("sudo apt-get install -y --no-install-recommends socat");
  });
});
