/**
 * The Debian packages a command needs, checked before it starts anything:
 * run as root the missing ones are installed with apt-get, otherwise the
 * exact apt-get line to run is printed. `./kiosk test` uses it; `./kiosk
 * demo` needs no Debian package (its pty link is made through libc, its
 * camera replays images).
 */
import type { CliIo } from "./io.ts";

/** Debian packages by name, each with why it is needed. */
export type PackageNeeds = Readonly<Record<string, string>>;

/** Packages `./kiosk test` needs, and why. */
export const TEST_PACKAGES: PackageNeeds = {
  chromium: "browser tests (Playwright drives /usr/bin/chromium)",
  socat: "serial tests over real kernel ptys",
  ffmpeg: "camera capture tests",
  postgresql: "central tests on PostgreSQL",
  "libusb-1.0-0": "node-hid's native module links it",
  gcc: "builds the test double of the vendor's WLT photo library",
  "espeak-ng": "voice prompt generator tests (./kiosk voice build)",
  "fonts-noto-cjk": "the kiosk UI's Chinese text in the browser tests' screenshots",
};

/** Runs a command and returns its exit code and output. */
export type RunCommand = (argv: readonly string[]) => { exitCode: number; stdout: string };

/** The machine's package system, as {@linkcode ensureSystemPackages} uses it. */
export interface PackageHost {
  /** True when the process runs as root and may run apt-get itself. */
  readonly asRoot: boolean;
  /** Runs a quick query (dpkg-query) and returns its output. */
  readonly query: RunCommand;
  /** Runs apt-get with its output on the terminal; resolves to the exit code. */
  install(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number>;
}

/** The packages of `names` that dpkg does not list as installed. */
export function missingPackages(names: readonly string[], run: RunCommand): string[] {
  return names.filter((name) => {
    const result = run(["dpkg-query", "-W", "-f=${Status}", name]);
    return result.exitCode !== 0 || !result.stdout.includes("install ok installed");
  });
}

/** The exact command a person should run to install `names`. */
export function installCommand(names: readonly string[], asRoot: boolean): string {
  const line = `apt-get install -y --no-install-recommends ${names.join(" ")}`;
  return asRoot ? line : `sudo ${line}`;
}

/**
 * Makes sure the packages of `needs` are installed before `command` starts
 * anything. Missing ones are installed with apt-get when running as root;
 * otherwise the apt-get line to run is printed on standard error.
 *
 * @param command What needs the packages, for messages, such as `./kiosk test`.
 * @returns True when every package is installed (now or already).
 */
export async function ensureSystemPackages(needs: PackageNeeds, command: string, io: CliIo, host: PackageHost): Promise<boolean> {
  const names = Object.keys(needs);
  const missing = missingPackages(names, host.query);
  if (missing.length === 0) return true;
  const why = missing.map((name) => `  ${name}: ${needs[name]}`).join("\n");
  if (!host.asRoot) {
    io.err(`${command} needs these system packages:\n${why}\nInstall them with:\n  ${installCommand(missing, false)}\n`);
    return false;
  }
  io.err(`Installing system packages ${command} needs:\n${why}\n`);
  const env = { ...io.env, DEBIAN_FRONTEND: "noninteractive" };
  if ((await host.install(["apt-get", "update", "-qq"], env)) !== 0) return false;
  if ((await host.install([...installCommand(missing, true).split(" "), "-qq"], env)) !== 0) return false;
  const still = missingPackages(names, host.query);
  if (still.length > 0) io.err(`Still missing after apt-get: ${still.join(", ")}\n`);
  return still.length === 0;
}

/** The real package system: dpkg-query and apt-get through `Bun.spawn`. */
export function debianPackageHost(): PackageHost {
  return {
    asRoot: process.getuid?.() === 0,
    query: (argv) => {
      const result = Bun.spawnSync([...argv], { stdout: "pipe", stderr: "pipe" });
      return { exitCode: result.exitCode, stdout: result.stdout.toString() };
    },
    install: (argv, env) => Bun.spawn([...argv], { env, stdin: "ignore", stdout: "inherit", stderr: "inherit" }).exited,
  };
}
