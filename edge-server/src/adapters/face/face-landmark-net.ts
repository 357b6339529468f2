/**
 * face-api's 68-point landmark network ("face_landmark_68_model", shipped
 * with @vladmandic/face-api, iBUG-300W point order), run directly on a
 * tfjs-core instance so it shares human's WASM backend.
 *
 * The forward pass is rebuilt from the weight names in the model's manifest:
 * four dense blocks of (depthwise-separable) convolutions, each halving the
 * size (112 → 7), a 7×7 average pool and a 256×136 fully connected layer
 * whose outputs are x/y pairs relative to the square input.
 */
import type * as Tf from "@tensorflow/tfjs-core";
import type { PixelPoint } from "./face-align.ts";
import { resizeBilinear, type RgbImage } from "./rgb-image.ts";
import { loadWeightsManifest } from "./tfjs-weights.ts";

/** Side of the square input the network takes. */
export const LANDMARK_INPUT_PX = 112;
/** Number of landmarks. */
export const LANDMARK_COUNT = 68;

/** Growth of the landmarks' bounding box for the second pass of {@linkcode FaceLandmarkNet.detectRefined}. */
export const REFINE_PADDING = 0.2;

const MANIFEST = "face_landmark_68_model-weights_manifest.json";
// Same per-channel mean as the recognition net (face-api's feature extractor).
const MEAN_RGB = [122.782, 117.001, 104.298] as const;

/** A rectangle in image pixels. */
export interface PixelBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface SeparableConv {
  readonly depthwise: Tf.Tensor4D;
  readonly pointwise: Tf.Tensor4D;
  readonly bias: Tf.Tensor1D;
}

interface PlainConv {
  readonly filters: Tf.Tensor4D;
  readonly bias: Tf.Tensor1D;
}

interface DenseBlock {
  readonly conv0: SeparableConv | PlainConv;
  readonly rest: readonly [SeparableConv, SeparableConv, SeparableConv];
}

/**
 * Cuts `box` out of `image` as a square `size`×`size` patch: the box is
 * centred in a square of its longer side (the rest black, as face-api pads
 * its inputs), then resized. Returns the patch and the map from patch pixels
 * back to image pixels.
 */
export function squarePatch(image: RgbImage, box: PixelBox, size: number): { patch: RgbImage; toImage: (p: PixelPoint) => PixelPoint } {
  const side = Math.max(1, Math.round(Math.max(box.width, box.height)));
  const left = Math.round(box.x + box.width / 2 - side / 2);
  const top = Math.round(box.y + box.height / 2 - side / 2);
  // Only the part of the square inside both the box and the image is copied.
  const x0 = Math.max(left, Math.round(box.x), 0);
  const y0 = Math.max(top, Math.round(box.y), 0);
  const x1 = Math.min(left + side, Math.round(box.x + box.width), image.width);
  const y1 = Math.min(top + side, Math.round(box.y + box.height), image.height);
  const square = new Uint8Array(side * side * 3);
  for (let y = y0; y < y1; y++) {
    const from = (y * image.width + x0) * 3;
    square.set(image.data.subarray(from, from + (x1 - x0) * 3), ((y - top) * side + (x0 - left)) * 3);
  }
  const patch = side === size ? { width: side, height: side, data: square } : resizeBilinear({ width: side, height: side, data: square }, size, size);
  const scale = side / size;
  return { patch, toImage: (p) => ({ x: left + (p.x + 0.5) * scale - 0.5, y: top + (p.y + 0.5) * scale - 0.5 }) };
}

/**
 * The bounding box of `points`, grown by `padding` × its size (half on each
 * side), as face-api crops a face from its landmarks.
 *
 * @throws {RangeError} when `points` is empty.
 */
export function landmarkBox(points: readonly PixelPoint[], padding: number): PixelBox {
  if (points.length === 0) throw new RangeError("Cannot box an empty point list");
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  const w = x1 - x0, h = y1 - y0;
  return { x: x0 - (w * padding) / 2, y: y0 - (h * padding) / 2, width: w * (1 + padding), height: h * (1 + padding) };
}

/**
 * face-api's 68-point landmark network. Construct, then {@linkcode load};
 * call {@linkcode dispose} to free the weights.
 */
export class FaceLandmarkNet {
  readonly #tf: typeof Tf;
  readonly #modelDir: string;
  #weights: Tf.NamedTensorMap | undefined;
  #blocks: DenseBlock[] = [];
  #fc: { readonly weights: Tf.Tensor2D; readonly bias: Tf.Tensor1D } | undefined;

  /**
   * @param tf the tfjs-core instance to run on (human's).
   * @param modelDir folder holding face-api's `face_landmark_68_model*` files.
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
      if (!t) throw new Error(`Face landmark weights lack "${name}": ${this.#modelDir}`);
      return t as T;
    };
    const separable = (prefix: string): SeparableConv => ({
      depthwise: get<Tf.Tensor4D>(`${prefix}/depthwise_filter`),
      pointwise: get<Tf.Tensor4D>(`${prefix}/pointwise_filter`),
      bias: get<Tf.Tensor1D>(`${prefix}/bias`),
    });
    this.#blocks = [0, 1, 2, 3].map((i) => ({
      conv0: i === 0 ? { filters: get<Tf.Tensor4D>("dense0/conv0/filters"), bias: get<Tf.Tensor1D>("dense0/conv0/bias") } : separable(`dense${i}/conv0`),
      rest: [separable(`dense${i}/conv1`), separable(`dense${i}/conv2`), separable(`dense${i}/conv3`)],
    }));
    this.#fc = { weights: get<Tf.Tensor2D>("fc/weights"), bias: get<Tf.Tensor1D>("fc/bias") };
  }

  /**
   * The 68 landmarks of the face in `box`, in `image` pixels.
   *
   * @throws {Error} when called before {@linkcode load}.
   */
  async detect(image: RgbImage, box: PixelBox): Promise<PixelPoint[]> {
    const { patch, toImage } = squarePatch(image, box, LANDMARK_INPUT_PX);
    const relative = await this.#run(patch);
    const points: PixelPoint[] = [];
    for (let i = 0; i < LANDMARK_COUNT; i++) {
      points.push(toImage({ x: (relative[2 * i] as number) * LANDMARK_INPUT_PX - 0.5, y: (relative[2 * i + 1] as number) * LANDMARK_INPUT_PX - 0.5 }));
    }
    return points;
  }

  /**
   * The 68 landmarks found in two passes: on `box` (a detector's), then on
   * the box of the first pass's points grown by {@linkcode REFINE_PADDING}, the
   * framing the network was trained on (measured: steadier than one pass).
   */
  async detectRefined(image: RgbImage, box: PixelBox): Promise<PixelPoint[]> {
    return this.detect(image, landmarkBox(await this.detect(image, box), REFINE_PADDING));
  }

  /** Frees the weights. Safe to call more than once. */
  dispose(): void {
    if (this.#weights) this.#tf.dispose(Object.values(this.#weights));
    this.#weights = undefined;
    this.#blocks = [];
    this.#fc = undefined;
  }

  // The 136 outputs (x0, y0, x1, …) relative to the 112-px patch.
  async #run(patch: RgbImage): Promise<Float32Array> {
    const fc = this.#fc;
    if (!fc) throw new Error("Face landmark network used before load()");
    const tf = this.#tf;
    const input = new Float32Array(patch.data.length);
    for (let i = 0; i < input.length; i += 3) {
      input[i] = ((patch.data[i] as number) - MEAN_RGB[0]) / 255;
      input[i + 1] = ((patch.data[i + 1] as number) - MEAN_RGB[1]) / 255;
      input[i + 2] = ((patch.data[i + 2] as number) - MEAN_RGB[2]) / 255;
    }
    const out = tf.tidy(() => {
      let x = tf.tensor4d(input, [1, LANDMARK_INPUT_PX, LANDMARK_INPUT_PX, 3], "float32");
      for (const block of this.#blocks) x = this.#denseBlock(x, block);
      const pooled = tf.avgPool(x, 7, 2, "valid");
      return tf.add(tf.matMul(tf.reshape(pooled, [1, -1]) as Tf.Tensor2D, fc.weights), fc.bias);
    });
    try {
      return new Float32Array(await out.data());
    } finally {
      out.dispose();
    }
  }

  // Four convolutions whose outputs are summed densely: each later one sees
  // the ReLU of the sum of all earlier outputs. The first one halves the size.
  #denseBlock(x: Tf.Tensor4D, block: DenseBlock): Tf.Tensor4D {
    const tf = this.#tf;
    const c0 = block.conv0;
    const out1 = tf.relu(
      "filters" in c0 ? tf.add(tf.conv2d(x, c0.filters, 2, "same"), c0.bias) : this.#separable(x, c0, 2),
    ) as Tf.Tensor4D;
    const [conv1, conv2, conv3] = block.rest;
    const out2 = this.#separable(out1, conv1, 1);
    const out3 = this.#separable(tf.relu(tf.add(out1, out2)) as Tf.Tensor4D, conv2, 1);
    const out4 = this.#separable(tf.relu(tf.addN([out1, out2, out3])) as Tf.Tensor4D, conv3, 1);
    return tf.relu(tf.addN([out1, out2, out3, out4])) as Tf.Tensor4D;
  }

  #separable(x: Tf.Tensor4D, p: SeparableConv, stride: 1 | 2): Tf.Tensor4D {
    const tf = this.#tf;
    return tf.add(tf.separableConv2d(x, p.depthwise, p.pointwise, stride, "same"), p.bias) as Tf.Tensor4D;
  }
}
