/**
 * `./kiosk bench sync-chaos [--quick] [--results N] [--seed S] [--kiosks N] [--seconds N] [--sqlite] [--keep]`:
 * the store-and-forward fault harness. Real kiosk generators deliver through
 * a loopback chaos proxy to real central processes while faults are injected
 * (kiosk kill -9 at three points, central down, lost responses, duplicates,
 * replays, reordering, two senders, captive portal, forged and tampered
 * batches, bad signatures, wrong clocks, a full disk, kill -9 of one of two
 * centrals on PostgreSQL). Prints ONE JSON object (`SyncChaosReport`).
 *
 * PostgreSQL comes from `DATABASE_URL` or `KIOSK_TEST_PG_URL` (a fresh
 * database is created in it and dropped afterwards), else a throwaway
 * cluster, else SQLite with one central (the two-central fault is reported
 * in `skipped`). Exit 0 when nothing was lost, duplicated or forged and
 * every receipt verifies; 1 otherwise; 2 for bad usage.
 */
import { createLogger, jsonLineSink } from "@kiosk/contracts";
import { parseArgs } from "node:util";
import { runSyncChaos } from "../sync-chaos/orchestrator.ts";
import { EXIT, type CliIo } from "../io.ts";
import { wholeNumber } from "../flags.ts";

const USAGE = "Usage: ./kiosk bench sync-chaos [--quick] [--results N] [--seed S] [--kiosks N] [--seconds N] [--sqlite] [--keep]\n";

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args,
      options: {
        quick: { type: "boolean" },
        results: { type: "string" },
        seed: { type: "string" },
        kiosks: { type: "string" },
        seconds: { type: "string" },
        sqlite: { type: "boolean" },
        keep: { type: "boolean" },
      },
    });
    const quick = values.quick === true;
    const results = wholeNumber(values.results, "--results", 10) ?? (quick ? 300 : 10_000);
    const kiosks = wholeNumber(values.kiosks, "--kiosks", 1) ?? (quick ? 3 : 4);
    options = {
      quick,
      results,
      kiosks,
      seed: wholeNumber(values.seed, "--seed", 0) ?? Math.floor(Math.random() * 2 ** 31),
      // About 35 results per second overall leaves room for a fault every second or two on 2 cores.
      generateSeconds: wholeNumber(values.seconds, "--seconds", 1) ?? (quick ? 20 : Math.max(60, Math.round(results / 35))),
      postgresUrl: io.env["DATABASE_URL"] || io.env["KIOSK_TEST_PG_URL"] || undefined,
      sqlite: values.sqlite === true,
      keep: values.keep === true,
    };
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  // Progress and warnings go to stderr: stdout carries only the JSON report.
  const log = createLogger({ ns: "sync-chaos", level: io.env["KIOSK_CHAOS_LOG_LEVEL"] === "debug" ? "debug" : "info", sink: jsonLineSink((line) => io.err(line)) });
  const report = await runSyncChaos({ ...options, env: io.env, log });
  io.out(`${JSON.stringify(report)}\n`);
  return report.ok ? EXIT.ok : EXIT.failure;
}
