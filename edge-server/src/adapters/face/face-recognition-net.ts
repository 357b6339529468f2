/**
 * The face recognition network that @vladmandic/face-api ships (dlib's
 * ResNet-29 "face_recognition_resnet_model_v1", 128-d output, public-domain
 * weights), run directly on a tfjs-core instance.
 *
 * face-api's own Node builds require the full `@tensorflow/tfjs` bundle and
 * cannot share human's tfjs-core + WASM backend, so this file re-creates the
 * forward pass from the weight names in face-api's manifest and its source
 * layout (conv → bias → per-channel scale, residual blocks, global average
 * pooling, a 256×128 fully connected layer).
 */
import type * as Tf from "@tensorflow/tfjs-core";
import type { RgbImage } from "./rgb-image.ts";
import { loadWeightsManifest } from "./tfjs-weights.ts";

/** Side of the square, aligned input chip in pixels. */
export const RECOGNITION_CHIP_SIZE = 150;
/** Length of the output embedding. */
export const RECOGNITION_DIMS = 128;

// dlib's training mean per channel (face-api FaceRecognitionNet.forwardInput).
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

const MANIFEST = "face_recognition_model-weights_manifest.json";

interface ConvLayer {
  readonly filters: Tf.Tensor4D;
  readonly bias: Tf.Tensor1D;
  readonly scale: Tf.Tensor1D;
  readonly shift: Tf.Tensor1D;
}

interface ResidualLayer {
  readonly conv1: ConvLayer;
  readonly conv2: ConvLayer;
}

const RESIDUAL_BLOCKS = [
  ["conv32_1", "same"], ["conv32_2", "same"], ["conv32_3", "same"],
  ["conv64_down", "down"], ["conv64_1", "same"], ["conv64_2", "same"], ["conv64_3", "same"],
  ["conv128_down", "down"], ["conv128_1", "same"], ["conv128_2", "same"],
  ["conv256_down", "down"], ["conv256_1", "same"], ["conv256_2", "same"],
  ["conv256_down_out", "down"],
] as const;

// Mean-subtracted, divided by 255: the input scaling dlib trained with.
function normaliseChip(rgb: Uint8Array): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    out[i] = ((rgb[i] as number) - MEAN_RGB[0]) / 255;
    out[i + 1] = ((rgb[i + 1] as number) - MEAN_RGB[1]) / 255;
    out[i + 2] = ((rgb[i + 2] as number) - MEAN_RGB[2]) / 255;
  }
  return out;
}


/**
 * face-api's recognition network. Construct, then {@linkcode load}; call
 * {@linkcode dispose} to free the weights.
 */
export class FaceRecognitionNet {
  readonly #tf: typeof Tf;
  readonly #modelDir: string;
  #weights: Tf.NamedTensorMap | undefined;
  #stem: ConvLayer | undefined;
  #blocks: { readonly layer: ResidualLayer; readonly down: boolean }[] = [];
  #fc: Tf.Tensor2D | undefined;

  /**
   * @param tf the tfjs-core instance to run on (human's, so both share the
   *   WASM backend).
   * @param modelDir folder holding face-api's `face_recognition_model*` files.
   */
  constructor(tf: typeof Tf, modelDir: string) {
    this.#tf = tf;
    this.#modelDir = modelDir;
  }

  /**
   * Reads and decodes the weights.
   *
   * @throws {Error} when the files are missing or a weight is absent.
   */
  async load(): Promise<void> {
    const weights = await loadWeightsManifest(this.#tf, this.#modelDir, MANIFEST);
    this.#weights = weights;
    const get = <T extends Tf.Tensor>(name: string): T => {
      const t = weights[name];
      if (!t) throw new Error(`Face recognition weights lack "${name}": ${this.#modelDir}`);
      return t as T;
    };
    const conv = (prefix: string): ConvLayer => ({
      filters: get<Tf.Tensor4D>(`${prefix}/conv/filters`),
      bias: get<Tf.Tensor1D>(`${prefix}/conv/bias`),
      scale: get<Tf.Tensor1D>(`${prefix}/scale/weights`),
      shift: get<Tf.Tensor1D>(`${prefix}/scale/biases`),
    });
    this.#stem = conv("conv32_down");
    this.#blocks = RESIDUAL_BLOCKS.map(([name, kind]) => ({
      layer: { conv1: conv(`${name}/conv1`), conv2: conv(`${name}/conv2`) },
      down: kind === "down",
    }));
    this.#fc = get<Tf.Tensor2D>("fc");
  }

  /** True once {@linkcode load} has succeeded. */
  get loaded(): boolean {
    return this.#fc !== undefined;
  }

  /**
   * The 128-d embedding (not normalised) of an aligned 150×150 chip.
   *
   * @throws {RangeError} when the chip is not 150×150.
   * @throws {Error} when called before {@linkcode load}.
   */
  async embed(chip: RgbImage): Promise<Float32Array> {
    if (chip.width !== RECOGNITION_CHIP_SIZE || chip.height !== RECOGNITION_CHIP_SIZE) {
      throw new RangeError(`Expected a ${RECOGNITION_CHIP_SIZE}x${RECOGNITION_CHIP_SIZE} chip, got ${chip.width}x${chip.height}`);
    }
    const stem = this.#stem;
    const fc = this.#fc;
    if (!stem || !fc) throw new Error("Face recognition network used before load()");
    const tf = this.#tf;
    const out = tf.tidy(() => {
      const normalised = tf.tensor4d(normaliseChip(chip.data), [1, RECOGNITION_CHIP_SIZE, RECOGNITION_CHIP_SIZE, 3], "float32");
      let x = this.#conv(normalised, stem, 2, true, "valid");
      x = tf.maxPool(x, 3, 2, "valid");
      for (const block of this.#blocks) x = block.down ? this.#residualDown(x, block.layer) : this.#residual(x, block.layer);
      const pooled = tf.mean(x, [1, 2]) as Tf.Tensor2D;
      return tf.matMul(pooled, fc);
    });
    try {
      return new Float32Array(await out.data());
    } finally {
      out.dispose();
    }
  }

  /** Frees the weights. Safe to call more than once. */
  dispose(): void {
    if (this.#weights) this.#tf.dispose(Object.values(this.#weights));
    this.#weights = undefined;
    this.#stem = undefined;
    this.#blocks = [];
    this.#fc = undefined;
  }

  #conv(x: Tf.Tensor4D, p: ConvLayer, stride: 1 | 2, relu: boolean, padding: "same" | "valid"): Tf.Tensor4D {
    const tf = this.#tf;
    const y = tf.add(tf.mul(tf.add(tf.conv2d(x, p.filters, stride, padding), p.bias), p.scale), p.shift) as Tf.Tensor4D;
    return relu ? tf.relu(y) : y;
  }

  #residual(x: Tf.Tensor4D, p: ResidualLayer): Tf.Tensor4D {
    const tf = this.#tf;
    const y = this.#conv(this.#conv(x, p.conv1, 1, true, "same"), p.conv2, 1, false, "same");
    return tf.relu(tf.add(y, x)) as Tf.Tensor4D;
  }

  // The down-sampling block halves the size with a strided "valid" conv; the
  // shortcut is a 2×2 average pool, zero-padded to the new channel count.
  // When the input side is odd the strided branch is one pixel short and gets
  // a zero row and column (dlib's layout, as face-api reproduces it).
  #residualDown(x: Tf.Tensor4D, p: ResidualLayer): Tf.Tensor4D {
    const tf = this.#tf;
    let y = this.#conv(this.#conv(x, p.conv1, 2, true, "valid"), p.conv2, 1, false, "same");
    let shortcut = tf.avgPool(x, 2, 2, "valid") as Tf.Tensor4D;
    const [, sh = 0, sw = 0, sc = 0] = shortcut.shape;
    const [, yh = 0, yw = 0, yc = 0] = y.shape;
    if (sh !== yh || sw !== yw) y = tf.pad(y, [[0, 0], [0, sh - yh], [0, sw - yw], [0, 0]]);
    if (sc !== yc) shortcut = tf.pad(shortcut, [[0, 0], [0, 0], [0, 0], [0, yc - sc]]);
    return tf.relu(tf.add(shortcut, y)) as Tf.Tensor4D;
  }
}
