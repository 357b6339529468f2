/**
 * `./kiosk bench idcard [--unpaced-runs N] [--paced-runs N] [--warmup-runs N] [--deframer-mb N]`:
 * benchmarks the ID-card stack over a real pty pair and the deframer alone,
 * and prints ONE JSON object (see `IdCardBenchResult` in @kiosk/device) with
 * the targets and whether each was met. Exit 0 after a run, 1 when the
 * benchmark could not run (no socat, a read timed out), 2 for bad usage.
 */
import { runIdCardBench } from "@kiosk/device";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { wholeNumber } from "../flags.ts";

/** Targets of the benchmark. */
const TARGETS = {
  overheadMsMedian: 5,
  pacedTolerance: 0.1,
  deframerMBps: 50,
} as const;

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let options;
  try {
    const { values } = parseArgs({
      args,
      options: { "unpaced-runs": { type: "string" }, "paced-runs": { type: "string" }, "warmup-runs": { type: "string" }, "deframer-mb": { type: "string" } },
    });
    const unpacedRuns = wholeNumber(values["unpaced-runs"], "--unpaced-runs");
    const pacedRuns = wholeNumber(values["paced-runs"], "--paced-runs");
    const warmupRuns = wholeNumber(values["warmup-runs"], "--warmup-runs", 0);
    const deframerMegabytes = wholeNumber(values["deframer-mb"], "--deframer-mb");
    options = {
      ...(unpacedRuns === undefined ? {} : { unpacedRuns }),
      ...(pacedRuns === undefined ? {} : { pacedRuns }),
      ...(warmupRuns === undefined ? {} : { warmupRuns }),
      ...(deframerMegabytes === undefined ? {} : { deframerMegabytes }),
    };
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  try {
    const result = await runIdCardBench(options);
    const targets = {
      overheadMsMedian: { target: `<= ${TARGETS.overheadMsMedian}`, met: result.overheadMsMedian <= TARGETS.overheadMsMedian },
      pacedMsMedian: {
        target: `within ${TARGETS.pacedTolerance * 100}% of wireAndModuleMs`,
        met: Math.abs(result.pacedToWireAndModuleRatio - 1) <= TARGETS.pacedTolerance,
      },
      deframerMBps: { target: `>= ${TARGETS.deframerMBps}`, met: result.deframerMBps >= TARGETS.deframerMBps },
    };
    io.out(`${JSON.stringify({ ...result, targets })}\n`);
    return EXIT.ok;
  } catch (error) {
    io.err(`The ID-card benchmark could not run: ${(error as Error).message}\n`);
    return EXIT.failure;
  }
}
