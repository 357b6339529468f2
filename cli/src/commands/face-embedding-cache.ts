/**
 * The embeddings of `./kiosk face eval --embeddings FILE`, kept between runs
 * so that a second run (another session size, another seed) embeds only
 * images it has not seen. The file is JSON: the model identity and, per
 * image (`chip:<path>` or `live:<path>`), its embedding or `null` when no
 * face was found. Embeddings are biometric data of the images measured: keep
 * the file beside the other eval output, out of the repository.
 */

/** Embeddings by image key, `null` for an image without a face. */
export type EmbeddingMap = Map<string, Float32Array | null>;

/**
 * Reads a cache file written for `model`.
 *
 * @throws {SyntaxError} when the text is not such a file.
 * @throws {RangeError} when it was written for another model.
 */
export function parseEmbeddingCache(text: string, model: string): EmbeddingMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SyntaxError("The embeddings file is not JSON");
  }
  const file = parsed as { model?: unknown; embeddings?: unknown };
  if (typeof file !== "object" || file === null || typeof file.model !== "string" || typeof file.embeddings !== "object" || file.embeddings === null) {
    throw new SyntaxError('The embeddings file needs "model" and "embeddings"');
  }
  if (file.model !== model) throw new RangeError(`The embeddings file holds "${file.model}" embeddings, not "${model}"`);
  const map: EmbeddingMap = new Map();
  for (const [key, value] of Object.entries(file.embeddings)) {
    if (value === null) {
      map.set(key, null);
    } else if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "number" && Number.isFinite(v))) {
      map.set(key, Float32Array.from(value as number[]));
    } else {
      throw new SyntaxError(`Invalid embedding of "${key}" in the embeddings file`);
    }
  }
  return map;
}

/** Writes `embeddings` of `model` as a cache file. */
export function serializeEmbeddingCache(model: string, embeddings: EmbeddingMap): string {
  const entries = [...embeddings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, value]) => [key, value ? Array.from(value) : null]);
  return `${JSON.stringify({ model, embeddings: Object.fromEntries(entries) })}\n`;
}
