/**
 * `./kiosk face eval --pairs FILE [--root DIR] [--plot roc.svg] [--model NAME]
 * [--workers N] [--scores FILE] [--models-cache DIR]`: measures verification
 * accuracy on a list of chip/live pairs and prints one JSON object.
 *
 * FILE is tab-separated: chip path, live path, 1 (same person) or 0. Paths
 * are relative to `--root`, else to FILE's folder. Each distinct image is
 * embedded once, by all workers in parallel. A pair where either image has no
 * face scores −∞: it counts as a non-match, never dropped. Output keys:
 * `pairs`, `genuine`, `impostor`, `noFace`, `tarAtFar` ("1e-2", "1e-3",
 * "1e-4"), `thresholdAtFar`, `eer`, `operatingThreshold` (the configured one
 * when it was calibrated for this model, else the FAR 1e-3 point of these
 * pairs), `tarAtOperating`, `farAtOperating`, `msPerImage`. Exit 0 after a
 * run, 1 when the engine failed, 2 for bad usage or unreadable input.
 */
import { compareEmbeddings, createFaceEngine, faceEmbeddingModel, FACE_MODELS, VerificationScores } from "@kiosk/edge-server";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
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

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
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
      },
    }).values;
    if (!values.pairs) throw new RangeError("Missing --pairs FILE");
    if (values.model !== undefined && !(FACE_MODELS as readonly string[]).includes(values.model)) {
      throw new RangeError(`Unknown --model "${values.model}": choose one of ${FACE_MODELS.join(", ")}`);
    }
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
  const engine = createFaceEngine(calibrated ? config : { ...config, threshold: { value: config.threshold.value, model: model.model } }, stderrLogger(io, "face-eval"));
  try {
    await engine.start();
  } catch (error) {
    return reportFailure(io, "The face engine could not start", error);
  }
  try {
    const images = [
      ...[...new Set(pairs.map((p) => p.chip))].map((path) => ({ role: "chip" as const, path })),
      ...[...new Set(pairs.map((p) => p.live))].map((path) => ({ role: "live" as const, path })),
    ];
    const embeddings = new Map<string, Float32Array | null>();
    const latency = { chip: [] as number[], live: [] as number[] };
    let unreadable: string | undefined;
    const started = performance.now();
    // Exactly one request in flight per worker: the per-image latency is
    // then the worker's processing time, not time spent queueing.
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
    if (unreadable) {
      io.err(`${unreadable}\n`);
      return EXIT.usage;
    }
    const wallMs = performance.now() - started;

    const genuine: number[] = [];
    const impostor: number[] = [];
    const noFace = { genuine: 0, impostor: 0 };
    const lines: string[] = [];
    for (const pair of pairs) {
      const a = embeddings.get(`chip:${pair.chip}`);
      const b = embeddings.get(`live:${pair.live}`);
      const score = a && b ? compareEmbeddings(model, a, b) : Number.NEGATIVE_INFINITY;
      if (!Number.isFinite(score)) noFace[pair.same ? "genuine" : "impostor"]++;
      (pair.same ? genuine : impostor).push(score);
      if (values.scores) lines.push(`${pair.chip}\t${pair.live}\t${pair.same ? 1 : 0}\t${score}`);
    }
    if (genuine.length === 0 || impostor.length === 0) {
      io.err(`The pairs file needs both genuine and impostor pairs: got ${genuine.length} and ${impostor.length}\n`);
      return EXIT.usage;
    }
    const scores = new VerificationScores(genuine, impostor);
    const operatingThreshold = calibrated ? config.threshold.value : scores.thresholdForFar(1e-3);
    const atOperating = scores.ratesAt(operatingThreshold);
    const tarAtFar: Record<string, number> = {};
    const thresholdAtFar: Record<string, number> = {};
    for (const [key, far] of Object.entries(FARS)) {
      const point = scores.tarAtFar(far);
      tarAtFar[key] = round(point.tar, 4);
      thresholdAtFar[key] = round(point.threshold, 5);
    }
    const eer = scores.equalErrorRate();
    const all = [...latency.chip, ...latency.live];
    const mean = (xs: number[]): number => (xs.length === 0 ? 0 : xs.reduce((s, v) => s + v, 0) / xs.length);
    const result = {
      model: model.model,
      pairs: pairs.length,
      genuine: genuine.length,
      impostor: impostor.length,
      images: { chip: latency.chip.length, live: latency.live.length },
      noFace: {
        chipImages: [...embeddings].filter(([k, v]) => k.startsWith("chip:") && v === null).length,
        liveImages: [...embeddings].filter(([k, v]) => k.startsWith("live:") && v === null).length,
        genuinePairs: noFace.genuine,
        impostorPairs: noFace.impostor,
      },
      tarAtFar,
      thresholdAtFar,
      eer: round(eer.eer, 4),
      eerThreshold: round(eer.threshold, 5),
      operatingThreshold: round(operatingThreshold, 5),
      operatingThresholdSource: calibrated ? "config" : "far-1e-3-of-these-pairs",
      tarAtOperating: round(atOperating.tar, 4),
      farAtOperating: round(atOperating.far, 6),
      msPerImage: round(mean(all), 1),
      msPerChip: round(mean(latency.chip), 1),
      msPerLive: round(mean(latency.live), 1),
      workers: engine.runningWorkers,
      wallSeconds: round(wallMs / 1000, 1),
    };
    if (values.plot) {
      const svg = rocSvg([{ label: `${values.pairs.split("/").at(-1)} (${genuine.length} genuine, ${impostor.length} impostor)`, points: scores.roc() }], {
        title: `ROC — ${config.model}`,
        marker: { far: atOperating.far, tar: atOperating.tar, label: `threshold ${round(operatingThreshold, 4)}` },
      });
      await writeFile(resolve(io.cwd, values.plot), svg);
    }
    if (values.scores) await writeFile(resolve(io.cwd, values.scores), `${lines.join("\n")}\n`);
    io.out(`${JSON.stringify(result)}\n`);
    return EXIT.ok;
  } catch (error) {
    return reportFailure(io, "The face evaluation failed", error);
  } finally {
    await engine.stop();
  }
}
