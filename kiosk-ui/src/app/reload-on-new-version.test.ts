import { describe, expect, test } from "bun:test";
import { reloadOnNewVersion, type ReloadEnv } from "./reload-on-new-version.ts";

function env(uiVersion: string, stored = new Map<string, string>()): ReloadEnv & { reloads: number } {
  const result = {
    uiVersion,
    memory: { getItem: (key: string) => stored.get(key) ?? null, setItem: (key: string, value: string) => void stored.set(key, value) },
    reloads: 0,
    reload: () => {
      result.reloads += 1;
    },
  };
  return result;
}

describe("reloadOnNewVersion", () => {
  test("stays when the server serves the UI's own version", () => {
    const browser = env("0.1.0");
    expect(reloadOnNewVersion("0.1.0", browser)).toBe(false);
    expect(browser.reloads).toBe(0);
  });

  test("reloads once for a new version, and not again after the reload", () => {
    const stored = new Map<string, string>();
    const before = env("0.1.0", stored);
    expect(reloadOnNewVersion("0.2.0", before)).toBe(true);
    expect(before.reloads).toBe(1);
    // The reloaded page still carries 0.1.0 (a stale cache): it must not reload again.
    const after = env("0.1.0", stored);
    expect(reloadOnNewVersion("0.2.0", after)).toBe(false);
    expect(reloadOnNewVersion("0.2.0", after)).toBe(false);
    expect(after.reloads).toBe(0);
  });

  test("reloads again when yet another version is served", () => {
    const stored = new Map<string, string>();
    reloadOnNewVersion("0.2.0", env("0.1.0", stored));
    const browser = env("0.1.0", stored);
    expect(reloadOnNewVersion("0.3.0", browser)).toBe(true);
    expect(browser.reloads).toBe(1);
  });
});
