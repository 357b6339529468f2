/**
 * `./kiosk demo` as a process group, for browser tests and the journey
 * benchmark: started on free ports, on a PATH without the programs a fresh
 * machine lacks.
 */
import { freePort } from "@kiosk/central/testing";
import { waitFor } from "@kiosk/device/testing";
import { existsSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { ProcessGroup } from "./process-group.ts";

const ROOT = join(import.meta.dirname, "..", "..", "..");

export interface Demo {
  /** The demo and every process it started, in a process group of their own. */
  readonly group: ProcessGroup;
  readonly edgeUrl: string;
  readonly centralUrl: string;
  readonly dataDir: string;
  /** The PATH the demo runs with. */
  readonly path: string;
}

/** Programs a fresh machine may lack, which the demo must not need. */
const NOT_INSTALLED = ["socat", "ffmpeg"];

/** A folder of links to every program on this process's PATH but {@linkcode NOT_INSTALLED}, to use as PATH. */
export function pathWithoutExtras(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin);
  for (const entry of (process.env["PATH"] ?? "").split(":")) {
    if (!entry || !existsSync(entry)) continue;
    for (const name of readdirSync(entry)) {
      if (!NOT_INSTALLED.includes(name) && !existsSync(join(bin, name))) symlinkSync(join(entry, name), join(bin, name));
    }
  }
  return bin;
}

/**
 * Starts `./kiosk demo` on free ports with its data in `dataDir`, `path` as
 * PATH and `env` added to the environment; resolves once it prints its URLs.
 */
export async function startDemo(dataDir: string, path: string, env: Readonly<Record<string, string>> = {}): Promise<Demo> {
  const [edgePort, centralPort] = [await freePort(), await freePort()];
  const group = ProcessGroup.start(join(ROOT, "kiosk"), ["demo", "--edge-port", String(edgePort), "--central-port", String(centralPort), "--data-dir", dataDir], {
    cwd: ROOT,
    env: { ...process.env, ...env, PATH: path, DATABASE_URL: "" },
  });
  try {
    await waitFor(() => group.output.includes("Press Ctrl-C to stop.") || group.running().length === 0, { timeoutMs: 60_000, message: () => `The demo did not print its URLs:\n${group.output}` });
    const edgeUrl = group.output.match(/Kiosk UI:\s+(\S+)\//)?.[1];
    const centralUrl = group.output.match(/Central console:\s+(\S+)\//)?.[1];
    if (!edgeUrl || !centralUrl) throw new Error(`Cannot find the URLs in the demo's output:\n${group.output}`);
    return { group, edgeUrl, centralUrl, dataDir, path };
  } catch (error) {
    await group.stop();
    throw error;
  }
}
