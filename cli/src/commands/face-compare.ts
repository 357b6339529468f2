/**
 * `./kiosk face compare CHIP LIVE`: compares the face of a chip photo with
 * the main face of a live photo using the configured face engine
 * (`KIOSK_EDGE_FACE_*` settings) and prints one JSON object:
 * `{"similarity","threshold","match","quality":{…},"liveness":{…},"model","noFace"}`.
 *
 * `similarity` is null and `match` false when either image has no face
 * (`noFace` says which). Exit 0 after a comparison (match or not), 1 when the
 * engine failed, 2 for bad usage or an unreadable image.
 */
import { compareEmbeddings, createFaceEngine, decideMatch } from "@kiosk/edge-server";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { loadFaceConfig, loadImage, reportFailure, round, stderrLogger } from "./face-support.ts";

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let positionals: string[];
  try {
    positionals = parseArgs({ args, allowPositionals: true, options: {} }).positionals;
    if (positionals.length !== 2) throw new RangeError(`Expected two arguments CHIP LIVE: got ${positionals.length}`);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const [chipPath, livePath] = positionals.map((p) => resolve(io.cwd, p)) as [string, string];
  const [chipImage, liveImage] = await Promise.all([loadImage(chipPath), loadImage(livePath)]);
  for (const loaded of [chipImage, liveImage]) {
    if (!loaded.ok) {
      io.err(`${loaded.message}\n`);
      return EXIT.usage;
    }
  }
  if (!chipImage.ok || !liveImage.ok) return EXIT.usage;

  let config;
  try {
    config = loadFaceConfig(io);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  // Two images: two workers at most, so both are embedded at once.
  const engine = createFaceEngine({ ...config, workers: Math.min(config.workers === 0 ? 2 : config.workers, 2) }, stderrLogger(io, "face-compare"));
  try {
    await engine.start();
    const [chip, live] = await Promise.all([engine.embedChip(chipImage.image), engine.analyze(liveImage.image, { embed: true })]);
    const liveEmbedding = live.main?.embedding;
    const similarity = chip.ok && liveEmbedding ? compareEmbeddings(engine.model, chip.embedding, liveEmbedding) : null;
    const decision = decideMatch(similarity ?? Number.NEGATIVE_INFINITY, engine.threshold.value);
    const noFace = !chip.ok ? (live.main ? "chip" : "both") : live.main ? null : "live";
    io.out(
      `${JSON.stringify({
        similarity: similarity === null ? null : round(similarity, 4),
        threshold: engine.threshold.value,
        match: decision.match,
        quality: live.main?.quality ?? null,
        liveness: live.main?.liveness ?? null,
        pose: live.main?.pose ?? null,
        otherFaces: live.others.length,
        model: engine.model.model,
        noFace,
      })}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    return reportFailure(io, "The face comparison failed", error);
  } finally {
    await engine.stop();
  }
}
