/**
 * The Debian packages the tests need, installed with apt-get when missing.
 */

/** Packages `./kiosk test` needs, and why. */
export const TEST_PACKAGES: Readonly<Record<string, string>> = {
  chromium: "browser tests (Playwright drives /usr/bin/chromium)",
  socat: "serial tests over real kernel ptys",
  ffmpeg: "camera capture tests",
  postgresql: "central tests on PostgreSQL",
  "libusb-1.0-0": "node-hid's native module links it",
  gcc: "builds the test double of the vendor's WLT photo library",
  "fonts-noto-cjk": "the kiosk UI's Chinese text in the browser tests' screenshots",
};

/** Runs a command and returns its exit code and output. */
export type RunCommand = (argv: readonly string[]) => { exitCode: number; stdout: string };

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
