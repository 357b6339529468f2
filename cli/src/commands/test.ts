/**
 * `./kiosk test`: every check CI runs, in order, ending with one line
 * `N passed, M failed` over all suites.
 *
 * 1. system packages the tests need (installed with apt-get when root),
 * 2. type checking, 3. dependency rules, 4. `bun test` (with a throwaway
 * PostgreSQL cluster), 5. browser tests in Chromium.
 */
import { startPgCluster, TEST_PG_URL_ENV } from "@kiosk/central/testing";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { EXIT, type CliIo } from "../io.ts";
import { checkDependencyRules } from "../test-runner/dependency-rules.ts";
import { junitCounts, type Counts } from "../test-runner/junit-counts.ts";
import { debianPackageHost, ensureSystemPackages, TEST_PACKAGES } from "../system-packages.ts";

const ROOT = join(import.meta.dir, "..", "..", "..");
const REPORT_DIR = join(ROOT, "var", "test");

/** Runs a command with output on the terminal; resolves to its exit code. */
async function runVisible(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const proc = Bun.spawn(argv, { cwd: ROOT, env, stdin: "ignore", stdout: "inherit", stderr: "inherit" });
  return proc.exited;
}

function heading(io: CliIo, text: string): void {
  io.err(`\n━━ ${text}\n`);
}

function readCounts(path: string, exitCode: number, io: CliIo, suite: string): Counts {
  try {
    const counts = junitCounts(readFileSync(path, "utf8"));
    // A runner that crashed after writing its report still counts as a failure.
    return exitCode !== 0 && counts.failed === 0 ? { passed: counts.passed, failed: 1 } : counts;
  } catch {
    io.err(`${suite} wrote no report (exit code ${exitCode})\n`);
    return { passed: 0, failed: 1 };
  }
}

/** Runs every check; the exit code is 0 only when nothing failed. */
export async function run(_args: string[], io: CliIo): Promise<number> {
  const started = Date.now();
  const results: Array<{ suite: string } & Counts> = [];
  const record = (suite: string, counts: Counts) => {
    results.push({ suite, ...counts });
    io.err(`${suite}: ${counts.passed} passed, ${counts.failed} failed\n`);
  };
  rmSync(REPORT_DIR, { recursive: true, force: true });
  mkdirSync(REPORT_DIR, { recursive: true });

  heading(io, "System packages");
  if (!(await ensureSystemPackages(TEST_PACKAGES, "./kiosk test", io, debianPackageHost()))) {
    io.out("0 passed, 1 failed\n");
    return EXIT.failure;
  }

  heading(io, "Type check (tsc --noEmit)");
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  // The UI's browser tests need the DOM library beside Bun's types, which the server code must not see.
  for (const project of ["tsconfig.json", "kiosk-ui/tsconfig.json", "kiosk-ui/tsconfig.e2e.json"]) {
    const code = await runVisible([process.execPath, tsc, "--noEmit", "-p", project], io.env);
    record(`tsc ${project}`, code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  }

  heading(io, "Dependency rules (dependency-cruiser)");
  const deps = await checkDependencyRules(ROOT);
  io.err(`${deps.output}\n`);
  record("dependency rules", deps.ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });

  heading(io, "Unit and integration tests (bun test, SQLite and PostgreSQL)");
  const cluster = await startPgCluster();
  try {
    const report = join(REPORT_DIR, "bun-junit.xml");
    const code = await runVisible([process.execPath, "test", "--reporter=junit", `--reporter-outfile=${report}`], {
      ...io.env,
      [TEST_PG_URL_ENV]: cluster.url,
    });
    record("bun test", readCounts(report, code, io, "bun test"));
  } finally {
    await cluster.stop();
  }

  heading(io, "Browser tests (Playwright, Chromium)");
  const playwrightReport = join(REPORT_DIR, "playwright-junit.xml");
  const playwright = join(ROOT, "node_modules", "@playwright", "test", "cli.js");
  const code = await runVisible([process.execPath, playwright, "test", "--reporter=list,junit"], {
    ...io.env,
    PLAYWRIGHT_JUNIT_OUTPUT_NAME: playwrightReport,
  });
  record("browser tests", readCounts(playwrightReport, code, io, "Playwright"));

  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  io.err(`\nFinished in ${Math.round((Date.now() - started) / 1000)} s\n`);
  io.out(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? EXIT.ok : EXIT.failure;
}
