/**
 * Runs dependency-cruiser with the repository's rules over every
 * workspace's code. dependency-cruiser refuses Node 20, so it runs on Bun.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** Outcome of a dependency check. */
export interface DependencyCheck {
  readonly ok: boolean;
  /** dependency-cruiser's report: one line per violation, then a summary. */
  readonly output: string;
}

// Folders of a workspace that hold code; node_modules is never crawled.
const CODE_DIRS = ["src", "e2e", "hw-tests"];

/** The files and folders of every workspace that the rules apply to. */
export function dependencyTargets(root: string): string[] {
  const workspaces = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { workspaces: string[] }).workspaces;
  const targets: string[] = [];
  for (const ws of workspaces) {
    for (const dir of CODE_DIRS) if (existsSync(join(root, ws, dir))) targets.push(join(ws, dir));
    for (const file of readdirSync(join(root, ws))) if (file.endsWith(".ts")) targets.push(join(ws, file));
  }
  return targets;
}

/** Checks the code under `root` against `root/.dependency-cruiser.cjs`. */
export async function checkDependencyRules(root: string): Promise<DependencyCheck> {
  const cruiser = join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
  const proc = Bun.spawn(
    [process.execPath, cruiser, "--config", ".dependency-cruiser.cjs", "--output-type", "err", ...dependencyTargets(root)],
    { cwd: root, stdout: "pipe", stderr: "pipe" },
  );
  const [exitCode, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { ok: exitCode === 0, output: `${stdout}${stderr}`.trim() };
}
