import { describe, expect, test } from "bun:test";
import { captureIo } from "./testing/capture-io.ts";
import { ensureSystemPackages, installCommand, missingPackages, TEST_PACKAGES, type PackageHost, type RunCommand } from "./system-packages.ts";

/** A package host where `installed` are installed, and apt-get installs what it is asked to unless `aptFails`. */
function fakeHost(options: { asRoot: boolean; installed: string[]; aptFails?: boolean }) {
  const installed = new Set(options.installed);
  const apt: Array<{ argv: string[]; frontend: string | undefined }> = [];
  const host: PackageHost = {
    asRoot: options.asRoot,
    query: (argv) => (installed.has(argv.at(-1) ?? "") ? { exitCode: 0, stdout: "install ok installed" } : { exitCode: 1, stdout: "" }),
    install: async (argv, env) => {
      apt.push({ argv: [...argv], frontend: env["DEBIAN_FRONTEND"] });
      if (options.aptFails) return 100;
      if (argv[1] === "install") for (const name of argv.slice(4).filter((a) => !a.startsWith("-"))) installed.add(name);
      return 0;
    },
  };
  return { host, apt };
}

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

describe("ensureSystemPackages", () => {
  test("not as root: prints why and the exact sudo apt-get line, and runs nothing", async () => {
    const { host, apt } = fakeHost({ asRoot: false, installed: ["chromium", "postgresql", "gcc", "libusb-1.0-0", "espeak-ng", "fonts-noto-cjk"] });
    const { io, err } = captureIo();
    expect(await ensureSystemPackages(TEST_PACKAGES, "./kiosk test", io, host)).toBe(false);
    expect(err.join("")).toBe(
      "./kiosk test needs these system packages:\n" +
        "  socat: serial tests over real kernel ptys\n" +
        "  ffmpeg: camera capture tests\n" +
        "Install them with:\n" +
        "  sudo apt-get install -y --no-install-recommends socat ffmpeg\n",
    );
    expect(apt).toEqual([]);
  });

  test("as root: installs exactly the missing packages with apt-get, without questions", async () => {
    const { host, apt } = fakeHost({ asRoot: true, installed: ["chromium", "ffmpeg", "postgresql", "libusb-1.0-0", "espeak-ng", "fonts-noto-cjk"] });
    const { io, err } = captureIo();
    expect(await ensureSystemPackages(TEST_PACKAGES, "./kiosk test", io, host)).toBe(true);
    expect(apt).toEqual([
      { argv: ["apt-get", "update", "-qq"], frontend: "noninteractive" },
      { argv: ["apt-get", "install", "-y", "--no-install-recommends", "socat", "gcc", "-qq"], frontend: "noninteractive" },
    ]);
    expect(err.join("")).toContain("Installing system packages ./kiosk test needs:\n  socat: serial tests over real kernel ptys\n  gcc:");
  });

  test("as root: a failing apt-get fails the check", async () => {
    const { host, apt } = fakeHost({ asRoot: true, installed: [], aptFails: true });
    expect(await ensureSystemPackages(TEST_PACKAGES, "./kiosk test", captureIo().io, host)).toBe(false);
    expect(apt.length).toBe(1);
  });

  test("does nothing when every package is installed", async () => {
    const { host, apt } = fakeHost({ asRoot: true, installed: Object.keys(TEST_PACKAGES) });
    const { io, err } = captureIo();
    expect(await ensureSystemPackages(TEST_PACKAGES, "./kiosk test", io, host)).toBe(true);
    expect([apt, err]).toEqual([[], []]);
  });
});
