/**
 * `./kiosk face eval --pairs FILE [--root DIR] [--plot roc.svg] [--model NAME]
 * [--workers N] [--scores FILE] [--models-cache DIR] [--embeddings FILE]
 * [--sessions K [--seed N] [--rule RULE]]`: measures verification accuracy on
 * a list of chip/live pairs and prints one JSON object.
 *
 * FILE is tab-separated: chip path, live path, 1 (same person) or 0. Paths
 * are relative to `--root`, else to FILE's folder. Each distinct image is
 * embedded once, by all workers in parallel; with `--embeddings FILE` the
 * embeddings are read from FILE when it exists, only missing images are
 * embedded, and FILE is written back. A pair where either image has no face
 * scores −∞: it counts as a non-match, never dropped. Output keys:
 * `pairs`, `genuine`, `impostor`, `noFace`, `tarAtFar` ("1e-2", "1e-3",
 * "1e-4"), `thresholdAtFar`, `eer`, `operatingThreshold` (the configured one
 * when it was calibrated for this model, else the FAR 1e-3 point of these
 * pairs), `tarAtOperating`, `farAtOperating`, `msPerImage`.
 *
 * `--sessions K` scores capture sessions instead of pairs: one chip photo
 * against K live photos (`face-sessions.ts` says how they are formed from
 * the list and `--seed`, default 1), by each match rule. The output then has
 * `sessions` and, per rule in `rules`, the keys above; `--scores` and
 * `--plot` take the sessions of `--rule` (default the capture's rule), one
 * line per session with its K live paths joined by ",". Exit 0 after a run,
 * 1 when the engine failed, 2 for bad usage or unreadable input.
 */
import { compareEmbeddings, createFaceEngine, faceEmbeddingModel, FACE_MODELS, MATCH_RULE, MATCH_RULES, ruleSimilarity, VerificationScores, type EmbeddingModel, type FaceEngine, type MatchRule } from "@kiosk/edge-server";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { parseEmbeddingCache, serializeEmbeddingCache, type EmbeddingMap } from "./face-embedding-cache.ts";
import { formSessions, type SessionPlan } from "./face-sessions.ts";
import { loadFaceConfig, loadImage, mapConcurrent, reportFailure, round, stderrLogger } from "./face-support.ts";
import { rocSvg } from "./roc-svg.ts";
import { wholeNumber } from "../flags.ts";

/** One line of a pairs file. */
export interface FacePair {
  readonly chip: string;
  readonly live: string;
  readonly same: boolean;
}

/**
 * Parses a pairs file: `chip<TAB>live<TAB>0|1` per line; blank lines and
 * lines starting with `#` are skipped. Paths are resolved against `base`.
 *
 * @throws {SyntaxError} naming the first bad line.
 */
export function parsePairs(text: string, base: string): FacePair[] {
  const pairs: FacePair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "" || line.startsWith("#")) return;
    const fields = line.split("\t");
    const [chip, live, label] = fields;
    if (fields.length !== 3 || !chip || !live || (label !== "0" && label !== "1")) {
      throw new SyntaxError(`Invalid pair on line ${i + 1}: expected "chip<TAB>live<TAB>0|1", got "${line.slice(0, 120)}"`);
    }
    pairs.push({ chip: resolve(base, chip), live: resolve(base, live), same: label === "1" });
  });
  if (pairs.length === 0) throw new SyntaxError("The pairs file holds no pairs");
  return pairs;
}

const FARS = { "1e-2": 1e-2, "1e-3": 1e-3, "1e-4": 1e-4 } as const;

/** One scored trial: a pair, or a session whose live side lists K paths. */
interface Trial {
  readonly chip: string;
  readonly live: readonly string[];
  readonly same: boolean;
}

/** Accuracy of one list of scored trials at the FAR points and the operating threshold. */
function accuracy(trials: readonly Trial[], scores: readonly number[], operating: number | undefined) {
  const genuine = scores.filter((_, i) => trials[i]?.same);
  const impostor = scores.filter((_, i) => !trials[i]?.same);
  const verification = new VerificationScores(genuine, impostor);
  const threshold = operating ?? verification.thresholdForFar(1e-3);
  const atOperating = verification.ratesAt(threshold);
  const tarAtFar: Record<string, number> = {};
  const thresholdAtFar: Record<string, number> = {};
  for (const [key, far] of Object.entries(FARS)) {
    const point = verification.tarAtFar(far);
    tarAtFar[key] = round(point.tar, 4);
    thresholdAtFar[key] = round(point.threshold, 5);
  }
  const eer = verification.equalErrorRate();
  return {
    verification,
    atOperating,
    report: {
      genuine: genuine.length,
      impostor: impostor.length,
      noFace: { genuine: genuine.filter((v) => !Number.isFinite(v)).length, impostor: impostor.filter((v) => !Number.isFinite(v)).length },
      tarAtFar,
      thresholdAtFar,
      eer: round(eer.eer, 4),
      eerThreshold: round(eer.threshold, 5),
      operatingThreshold: round(threshold, 5),
      tarAtOperating: round(atOperating.tar, 4),
      farAtOperating: round(atOperating.far, 6),
    },
  };
}

/** Per-image worker latencies in ms, by role. */
interface Latency {
  readonly chip: number[];
  readonly live: number[];
}

/**
 * Embeds `images` into `embeddings` (`null` when no face is found), with
 * exactly one request in flight per worker: the per-image latency is then
 * the worker's processing time, not time spent queueing. Stops at the first
 * image that cannot be read.
 */
async function embedImages(
  engine: FaceEngine & { readonly runningWorkers: number },
  images: readonly { readonly role: "chip" | "live"; readonly path: string }[],
  embeddings: EmbeddingMap,
): Promise<{ ok: true; latency: Latency } | { ok: false; message: string }> {
  const latency: Latency = { chip: [], live: [] };
  let unreadable: string | undefined;
  await mapConcurrent(images, engine.runningWorkers, async (item) => {
    if (unreadable) return;
    const loaded = await loadImage(item.path);
    if (!loaded.ok) {
      unreadable = loaded.message;
      return;
    }
    const t0 = performance.now();
    if (item.role === "chip") {
      const chip = await engine.embedChip(loaded.image);
      embeddings.set(`chip:${item.path}`, chip.ok ? chip.embedding : null);
    } else {
      const live = await engine.analyze(loaded.image, { embed: true });
      embeddings.set(`live:${item.path}`, live.main?.embedding ?? null);
    }
    latency[item.role].push(performance.now() - t0);
  });
  return unreadable ? { ok: false, message: unreadable } : { ok: true, latency };
}

/** A session's score by `rule`; live photos without a face drop out, and −∞ when none is left or the chip has none. */
function sessionScore(model: EmbeddingModel, rule: MatchRule, embeddings: EmbeddingMap, trial: Trial): number {
  const chip = embeddings.get(`chip:${trial.chip}`);
  const frames = trial.live.map((path) => embeddings.get(`live:${path}`)).filter((e): e is Float32Array => e instanceof Float32Array);
  return chip ? ruleSimilarity(model, rule, chip, frames) : Number.NEGATIVE_INFINITY;
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  let sessionSize: number | undefined;
  let seed: number;
  let rule: MatchRule;
  try {
    values = parseArgs({
      args,
      options: {
        pairs: { type: "string" },
        root: { type: "string" },
        plot: { type: "string" },
        model: { type: "string" },
        workers: { type: "string" },
        scores: { type: "string" },
        "models-cache": { type: "string" },
        embeddings: { type: "string" },
        sessions: { type: "string" },
        seed: { type: "string" },
        rule: { type: "string" },
      },
    }).values;
    if (!values.pairs) throw new RangeError("Missing --pairs FILE");
    if (values.model !== undefined && !(FACE_MODELS as readonly string[]).includes(values.model)) {
      throw new RangeError(`Unknown --model "${values.model}": choose one of ${FACE_MODELS.join(", ")}`);
    }
    sessionSize = wholeNumber(values.sessions, "--sessions");
    if (sessionSize === undefined && (values.seed !== undefined || values.rule !== undefined)) throw new RangeError("--seed and --rule need --sessions K");
    seed = wholeNumber(values.seed, "--seed", 0) ?? 1;
    if (values.rule !== undefined && !(MATCH_RULES as readonly string[]).includes(values.rule)) {
      throw new RangeError(`Unknown --rule "${values.rule}": choose one of ${MATCH_RULES.join(", ")}`);
    }
    rule = (values.rule as MatchRule | undefined) ?? MATCH_RULE;
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const pairsPath = resolve(io.cwd, values.pairs);
  let pairs: FacePair[];
  try {
    pairs = parsePairs(await readFile(pairsPath, "utf8"), values.root ? resolve(io.cwd, values.root) : dirname(pairsPath));
  } catch (error) {
    io.err(`Cannot use "${values.pairs}": ${(error as Error).message}\n`);
    return EXIT.usage;
  }

  let config;
  try {
    const workers = wholeNumber(values.workers, "--workers");
    config = loadFaceConfig(io, {
      ...(values.model === undefined ? {} : { model: values.model }),
      ...(workers === undefined ? {} : { workers }),
      ...(values["models-cache"] === undefined ? {} : { modelsCacheDir: resolve(io.cwd, values["models-cache"]) }),
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }

  // A threshold calibrated for another model means nothing here: the engine
  // would refuse it, and the eval reports this model's own FAR 1e-3 point.
  const model = faceEmbeddingModel(config);
  const calibrated = config.threshold.model === model.model;
  const cachePath = values.embeddings === undefined ? undefined : resolve(io.cwd, values.embeddings);
  let embeddings: EmbeddingMap = new Map();
  if (cachePath) {
    try {
      embeddings = parseEmbeddingCache(await readFile(cachePath, "utf8"), model.model);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        io.err(`Cannot use "${values.embeddings}": ${(error as Error).message}\n`);
        return EXIT.usage;
      }
    }
  }
  const images = [
    ...[...new Set(pairs.map((p) => p.chip))].map((path) => ({ role: "chip" as const, path })),
    ...[...new Set(pairs.map((p) => p.live))].map((path) => ({ role: "live" as const, path })),
  ];
  const missing = images.filter((item) => !embeddings.has(`${item.role}:${item.path}`));
  const started = performance.now();
  let latency: Latency = { chip: [], live: [] };
  let workers = 0;
  if (missing.length > 0) {
    const engine = createFaceEngine(calibrated ? config : { ...config, threshold: { value: config.threshold.value, model: model.model } }, stderrLogger(io, "face-eval"));
    try {
      await engine.start();
    } catch (error) {
      return reportFailure(io, "The face engine could not start", error);
    }
    try {
      workers = engine.runningWorkers;
      const embedded = await embedImages(engine, missing, embeddings);
      if (!embedded.ok) {
        io.err(`${embedded.message}\n`);
        return EXIT.usage;
      }
      latency = embedded.latency;
    } catch (error) {
      return reportFailure(io, "The face evaluation failed", error);
    } finally {
      await engine.stop();
    }
    if (cachePath) await writeFile(cachePath, serializeEmbeddingCache(model.model, embeddings));
  }
  const wallMs = performance.now() - started;

  let trials: Trial[];
  let plan: SessionPlan | undefined;
  if (sessionSize === undefined) {
    trials = pairs.map((p) => ({ chip: p.chip, live: [p.live], same: p.same }));
  } else {
    plan = formSessions(pairs, sessionSize, seed);
    trials = [...plan.sessions];
  }
  const genuineCount = trials.filter((t) => t.same).length;
  if (genuineCount === 0 || genuineCount === trials.length) {
    io.err(`The pairs file needs both genuine and impostor ${plan ? "sessions" : "pairs"}: got ${genuineCount} and ${trials.length - genuineCount}\n`);
    return EXIT.usage;
  }
  const operating = calibrated ? config.threshold.value : undefined;
  const scoreOf = (r: MatchRule) => trials.map((t) => (plan ? sessionScore(model, r, embeddings, t) : scorePair(model, embeddings, t)));
  const scores = scoreOf(rule);
  const main = accuracy(trials, scores, operating);

  const imageKeys = images.map((item) => `${item.role}:${item.path}`);
  const all = [...latency.chip, ...latency.live];
  const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, v) => s + v, 0) / xs.length);
  const noFaceImages = {
    chip: imageKeys.filter((k) => k.startsWith("chip:") && embeddings.get(k) === null).length,
    live: imageKeys.filter((k) => k.startsWith("live:") && embeddings.get(k) === null).length,
  };
  const common = {
    model: model.model,
    images: { chip: images.filter((i) => i.role === "chip").length, live: images.filter((i) => i.role === "live").length, embedded: missing.length },
    operatingThresholdSource: calibrated ? "config" : "far-1e-3-of-these-pairs",
    msPerImage: round(mean(all), 1),
    msPerChip: round(mean(latency.chip), 1),
    msPerLive: round(mean(latency.live), 1),
    workers,
    wallSeconds: round(wallMs / 1000, 1),
  };
  let result;
  if (plan && sessionSize !== undefined) {
    const rules = Object.fromEntries(MATCH_RULES.map((r) => [r, r === rule ? main.report : accuracy(trials, scoreOf(r), operating).report]));
    result = {
      ...common,
      sessions: { frames: sessionSize, seed, genuine: main.report.genuine, impostor: main.report.impostor, genuineRepeated: plan.genuineRepeated, identitiesTooFewPhotos: plan.identitiesTooFewPhotos },
      noFaceImages,
      rule,
      rules,
    };
  } else {
    const { report } = main;
    result = {
      ...common,
      pairs: pairs.length,
      genuine: report.genuine,
      impostor: report.impostor,
      noFace: { chipImages: noFaceImages.chip, liveImages: noFaceImages.live, genuinePairs: report.noFace.genuine, impostorPairs: report.noFace.impostor },
      tarAtFar: report.tarAtFar,
      thresholdAtFar: report.thresholdAtFar,
      eer: report.eer,
      eerThreshold: report.eerThreshold,
      operatingThreshold: report.operatingThreshold,
      tarAtOperating: report.tarAtOperating,
      farAtOperating: report.farAtOperating,
    };
  }
  if (values.plot) {
    const what = plan ? `sessions of ${sessionSize}, ${rule}` : "pairs";
    const svg = rocSvg([{ label: `${values.pairs.split("/").at(-1)} (${main.report.genuine} genuine, ${main.report.impostor} impostor ${what})`, points: main.verification.roc() }], {
      title: `ROC — ${config.model}`,
      marker: { far: main.atOperating.far, tar: main.atOperating.tar, label: `threshold ${round(main.atOperating.threshold, 4)}` },
    });
    await writeFile(resolve(io.cwd, values.plot), svg);
  }
  if (values.scores) {
    const lines = trials.map((t, i) => `${t.chip}\t${t.live.join(",")}\t${t.same ? 1 : 0}\t${scores[i]}`);
    await writeFile(resolve(io.cwd, values.scores), `${lines.join("\n")}\n`);
  }
  io.out(`${JSON.stringify(result)}\n`);
  return EXIT.ok;
}

function scorePair(model: EmbeddingModel, embeddings: EmbeddingMap, trial: Trial): number {
  const a = embeddings.get(`chip:${trial.chip}`);
  const b = embeddings.get(`live:${trial.live[0]}`);
  return a && b ? compareEmbeddings(model, a, b) : Number.NEGATIVE_INFINITY;
}
