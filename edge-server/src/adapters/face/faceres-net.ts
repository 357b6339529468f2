/**
 * human's `faceres` descriptor network (HSE FaceRes, 224×224 in, 1024-d
 * out), or its `faceres-deep` sibling, run on one face crop only.
 *
 * human's own description module embeds every detected face; running the
 * graph here on the main face's crop keeps bystanders from ever being
 * embedded, and lets a second weights file be loaded for comparison.
 */
import type * as Tf from "@tensorflow/tfjs-core";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { readWeightGroups, type WeightsGroup } from "./tfjs-weights.ts";

/** Side of the square input the network takes. */
export const FACERES_INPUT_PX = 224;
/** Length of the descriptor. */
export const FACERES_DIMS = 1024;

/** The graph-model loader of tfjs-converter, as human's tfjs namespace exposes it. */
export interface GraphModelLike {
  execute(inputs: Tf.Tensor, outputs?: string | string[]): Tf.Tensor | Tf.Tensor[];
  dispose(): void;
}

/** The parts of human's tfjs namespace this network needs. */
export type TfWithConverter = typeof Tf & {
  loadGraphModel(handler: Tf.io.IOHandler): Promise<GraphModelLike>;
};

interface GraphModelJson {
  readonly modelTopology: unknown;
  /** Names the graph's outputs; without it `execute` returns only the first one. */
  readonly signature?: unknown;
  readonly weightsManifest: readonly WeightsGroup[];
}

/** A faceres-architecture descriptor network. Construct, {@linkcode load}, then {@linkcode embed}. */
export class FaceresNet {
  readonly #tf: TfWithConverter;
  readonly #modelUrl: string;
  #model: GraphModelLike | undefined;

  /**
   * @param tf human's tfjs namespace (core + converter).
   * @param modelUrl `file://` URL of the model JSON (`faceres.json` or `faceres-deep.json`).
   */
  constructor(tf: TfWithConverter, modelUrl: string) {
    this.#tf = tf;
    this.#modelUrl = modelUrl;
  }

  /**
   * Reads the model JSON and its weights from disk.
   *
   * @throws {Error} when the files cannot be read or parsed.
   */
  async load(): Promise<void> {
    const path = fileURLToPath(this.#modelUrl);
    const json = JSON.parse(await readFile(path, "utf8")) as GraphModelJson;
    const { specs: weightSpecs, data: weightData } = await readWeightGroups(dirname(path), json.weightsManifest);
    this.#model = await this.#tf.loadGraphModel(
      this.#tf.io.fromMemory({
        modelTopology: json.modelTopology as object,
        weightSpecs,
        weightData: weightData.buffer,
        ...(json.signature === undefined ? {} : { signature: json.signature as object }),
      }),
    );
  }

  /**
   * The descriptor (not normalised) of a face crop.
   *
   * @param face human's face crop: `[height, width, 3]`, values 0–1, upright.
   * @throws {Error} when called before {@linkcode load} or the graph lacks the descriptor output.
   */
  async embed(face: Tf.Tensor3D): Promise<Float32Array> {
    const model = this.#model;
    if (!model) throw new Error("faceres used before load()");
    const tf = this.#tf;
    const outputs = tf.tidy(() => {
      // human feeds its 0–1 crop scaled to 0–255 (src/face/faceres.ts).
      const input = tf.mul(tf.image.resizeBilinear(tf.expandDims(face, 0) as Tf.Tensor4D, [FACERES_INPUT_PX, FACERES_INPUT_PX], false), 255);
      const result = model.execute(input);
      return Array.isArray(result) ? result : [result];
    });
    try {
      const descriptor = outputs.find((t) => t.shape[1] === FACERES_DIMS);
      if (!descriptor) throw new Error(`faceres graph has no ${FACERES_DIMS}-wide output: ${this.#modelUrl}`);
      return new Float32Array(await descriptor.data());
    } finally {
      tf.dispose(outputs);
    }
  }

  /** Frees the model. Safe to call more than once. */
  dispose(): void {
    this.#model?.dispose();
    this.#model = undefined;
  }
}
