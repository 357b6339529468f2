/**
 * Reading tfjs weight files from disk: a manifest lists groups of binary
 * shards and the tensors they hold, in order. The models are loaded from
 * the npm packages' folders; nothing is fetched.
 */
import type * as Tf from "@tensorflow/tfjs-core";
import { readFile } from "node:fs/promises";
import { join } from "node:path";

/** One group of a tfjs weights manifest. */
export interface WeightsGroup {
  readonly paths: readonly string[];
  readonly weights: readonly Tf.io.WeightsManifestEntry[];
}

/**
 * Reads every shard of `groups` from `dir` and returns the tensor specs and
 * the shards joined in manifest order, as `tf.io.decodeWeights` and
 * `tf.io.fromMemory` take them.
 *
 * @throws {Error} when a shard cannot be read.
 */
export async function readWeightGroups(dir: string, groups: readonly WeightsGroup[]): Promise<{ specs: Tf.io.WeightsManifestEntry[]; data: Uint8Array<ArrayBuffer> }> {
  const specs: Tf.io.WeightsManifestEntry[] = [];
  const shards: Uint8Array[] = [];
  for (const group of groups) {
    specs.push(...group.weights);
    for (const path of group.paths) shards.push(new Uint8Array(await readFile(join(dir, path))));
  }
  const data = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const shard of shards) {
    data.set(shard, offset);
    offset += shard.length;
  }
  return { specs, data };
}

/**
 * Reads the manifest file `manifest` in `dir` and decodes all its weights
 * with `tf`.
 *
 * @throws {Error} when a file is missing or unreadable.
 */
export async function loadWeightsManifest(tf: typeof Tf, dir: string, manifest: string): Promise<Tf.NamedTensorMap> {
  const groups = JSON.parse(await readFile(join(dir, manifest), "utf8")) as WeightsGroup[];
  const { specs, data } = await readWeightGroups(dir, groups);
  return tf.io.decodeWeights(data.buffer, specs);
}
