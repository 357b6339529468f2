/**
 * `./kiosk face calibrate --scores FILE [--scores FILE …] [--far 1e-3]
 * [--rounds N] [--quantile Q] [--folds N] [--seed N] [--step S]`: chooses an
 * operating threshold from the per-pair scores written by
 * `./kiosk face eval --scores FILE`, all files together, and prints one JSON
 * object: the raw FAR point, the identity-bootstrap spread of the threshold
 * and of TAR at it, the recommended threshold (bootstrap quantile, rounded
 * up), leave-identities-out folds, and per file TAR/FAR at the recommended
 * threshold and its own FAR point. `recommendedEveryList` is the
 * recommended threshold, raised where needed to the step above each file's
 * own FAR point: the pooled bootstrap margin, and the target FAR met on
 * every list, not only on all lists pooled; `atEveryList` gives each file's
 * TAR/FAR there. Session
 * scores (`face eval --sessions K --scores`) are read the same way: their
 * live column lists the session's K paths joined by ",". A person's identity
 * is the folder holding their image (`chip/<identity>/1.webp`). Exit 0 after
 * a run, 2 for bad usage or input.
 */
import { calibrateThreshold, VerificationScores, type ScoredPair } from "@kiosk/edge-server";
import { readFile } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { identityOf } from "./face-sessions.ts";
import { round } from "./face-support.ts";
import { wholeNumber } from "../flags.ts";

/**
 * Parses a scores file (`chip<TAB>live<TAB>0|1<TAB>score` per line; for a
 * session, `live` is its live paths, all of one identity, joined by ",").
 *
 * @throws {SyntaxError} naming the first bad line.
 */
export function parseScores(text: string): ScoredPair[] {
  const pairs: ScoredPair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const [chip, live, label, score, ...rest] = line.split("\t");
    const value = score === "-Infinity" ? Number.NEGATIVE_INFINITY : Number(score);
    if (!chip || !live || (label !== "0" && label !== "1") || score === undefined || Number.isNaN(value) || rest.length > 0) {
      throw new SyntaxError(`Invalid score line ${i + 1}: expected "chip<TAB>live<TAB>0|1<TAB>score"`);
    }
    const liveIdentities = new Set(live.split(",").map(identityOf));
    if (liveIdentities.size !== 1) throw new SyntaxError(`Invalid score line ${i + 1}: the live paths of a session must be of one identity`);
    pairs.push({ score: value, same: label === "1", chipIdentity: identityOf(chip), liveIdentity: [...liveIdentities][0] as string });
  });
  return pairs;
}

function number(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new RangeError(`Invalid ${flag} "${value}": expected a number from ${min} to ${max}`);
  return n;
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let files: string[];
  let options;
  try {
    const { values } = parseArgs({
      args,
      options: {
        scores: { type: "string", multiple: true },
        far: { type: "string" },
        rounds: { type: "string" },
        quantile: { type: "string" },
        folds: { type: "string" },
        seed: { type: "string" },
        step: { type: "string" },
      },
    });
    files = values.scores ?? [];
    if (files.length === 0) throw new RangeError("Missing --scores FILE (written by ./kiosk face eval --scores)");
    options = {
      targetFar: number(values.far, "--far", 1e-3, 1e-9, 0.5),
      rounds: wholeNumber(values.rounds, "--rounds") ?? 1000,
      quantile: number(values.quantile, "--quantile", 0.9, 0, 1),
      folds: wholeNumber(values.folds, "--folds", 2) ?? 5,
      seed: wholeNumber(values.seed, "--seed", 0) ?? 1,
      step: number(values.step, "--step", 0.0025, 1e-6, 1),
    };
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const lists: { file: string; pairs: ScoredPair[] }[] = [];
  for (const file of files) {
    try {
      lists.push({ file, pairs: parseScores(await readFile(resolve(io.cwd, file), "utf8")) });
    } catch (error) {
      io.err(`Cannot use "${file}": ${(error as Error).message}\n`);
      return EXIT.usage;
    }
  }
  let report;
  try {
    report = calibrateThreshold(lists.flatMap((l) => l.pairs), options);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const listScores = lists.map(({ pairs }) => new VerificationScores(pairs.filter((p) => p.same).map((p) => p.score), pairs.filter((p) => !p.same).map((p) => p.score)));
  const everyList = Math.max(report.recommended, ...listScores.map((scores) => (scores.impostor.length === 0 ? Number.NEGATIVE_INFINITY : Math.ceil(scores.thresholdForFar(options.targetFar) / options.step) * options.step)));
  const perList = lists.map(({ file }, i) => {
    const scores = listScores[i] as VerificationScores;
    const at = scores.ratesAt(report.recommended);
    const atEvery = scores.ratesAt(everyList);
    const own = scores.tarAtFar(options.targetFar);
    return {
      file: basename(file),
      genuine: scores.genuine.length,
      impostor: scores.impostor.length,
      tarAtRecommended: round(at.tar, 4),
      farAtRecommended: round(at.far, 6),
      ownFarPoint: { threshold: round(own.threshold, 5), tar: round(own.tar, 4) },
      atEveryList: { tar: round(atEvery.tar, 4), far: round(atEvery.far, 6) },
    };
  });
  const r5 = (x: number): number => round(x, 5);
  const r4 = (x: number): number => round(x, 4);
  io.out(
    `${JSON.stringify({
      options,
      pairs: report.pairs,
      rawThreshold: r5(report.rawThreshold),
      rawTar: r4(report.rawTar),
      bootstrap: {
        threshold: { p05: r5(report.bootstrap.threshold.p05), p50: r5(report.bootstrap.threshold.p50), p95: r5(report.bootstrap.threshold.p95) },
        tarAtFar: { p05: r4(report.bootstrap.tarAtFar.p05), p50: r4(report.bootstrap.tarAtFar.p50), p95: r4(report.bootstrap.tarAtFar.p95) },
      },
      recommended: r5(report.recommended),
      atRecommended: { tar: r4(report.atRecommended.tar), far: round(report.atRecommended.far, 6) },
      recommendedEveryList: r5(everyList),
      folds: report.folds.map((f) => ({ threshold: r5(f.threshold), far: round(f.far, 6), tar: r4(f.tar), genuine: f.genuine, impostor: f.impostor })),
      perList,
    })}\n`,
  );
  return EXIT.ok;
}
