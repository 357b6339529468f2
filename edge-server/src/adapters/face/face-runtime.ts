/**
 * One face-analysis runtime: a human instance on tfjs WASM (one thread), the
 * face-api recognition network and/or faceres on the same tfjs, and the
 * per-frame logic (main-face choice, quality measures, embeddings).
 *
 * It runs inside a Bun Worker (`face-worker.ts`), one per core; nothing here
 * knows about messages.
 */
import type * as Tf from "@tensorflow/tfjs-core";
import { Human, type Config, type FaceResult } from "../../../node_modules/@vladmandic/human/dist/human.node-wasm.js";
import { l2Normalize } from "../../domain/face-match.ts";
import type { ChipEmbedding, FaceBox, FaceSummary, FrameAnalysis, MainFace } from "../../ports.ts";
import { alignFaceChip, LANDMARK68_DLIB_5, MESH_DLIB_5, type PixelPoint } from "./face-align.ts";
import { prepareChip, type PreparedChip } from "./chip-preparation.ts";
import { usesFaceApi, usesFaceres, usesLandmark68 } from "./embedders.ts";
import { FaceLandmarkNet } from "./face-landmark-net.ts";
import { measureFaceQuality } from "./face-quality.ts";
import { FaceRecognitionNet, RECOGNITION_CHIP_SIZE } from "./face-recognition-net.ts";
import type { WorkerInit } from "./face-worker-protocol.ts";
import { FaceresNet, type TfWithConverter } from "./faceres-net.ts";
import { assertRgbImage, gaussianBlur, mirror, type RgbImage } from "./rgb-image.ts";

/** dlib's chip padding: the recognition net was trained on 150-px chips with 0.25 padding. */
const CHIP_PADDING = 0.25;
const RAD_TO_DEG = 180 / Math.PI;

/** What a detection pass should compute besides boxes and meshes. */
interface PassOptions {
  /** Correct in-plane rotation before the mesh (costs ~30 ms; steadier landmarks for alignment). */
  readonly rotation: boolean;
  /** Run antispoof and liveness. */
  readonly liveness: boolean;
  /** Keep human's face crops (needed by faceres). */
  readonly crops: boolean;
}

/** The models of one worker and what they compute. Construct, then {@linkcode load}. */
export class FaceRuntime {
  readonly #init: WorkerInit;
  #human: Human | undefined;
  #faceApi: FaceRecognitionNet | undefined;
  #landmarks: FaceLandmarkNet | undefined;
  #faceres: FaceresNet | undefined;

  constructor(init: WorkerInit) {
    this.#init = init;
  }

  /**
   * Loads every model and runs one throw-away pass (human's `warmup()` does
   * nothing outside a browser, and the first WASM inference is slow).
   *
   * @returns the tfjs backend that ended up active and the load and warm-up times.
   */
  async load(): Promise<{ backend: string; loadMs: number; warmupMs: number }> {
    const started = performance.now();
    const init = this.#init;
    const human = new Human(this.#config());
    this.#human = human;
    await human.load();
    const tf = human.tf as TfWithConverter;
    if (usesFaceApi(init.embedder)) {
      this.#faceApi = new FaceRecognitionNet(tf, init.faceApiModelDir);
      await this.#faceApi.load();
    }
    if (usesLandmark68(init.embedder)) {
      this.#landmarks = new FaceLandmarkNet(tf, init.faceApiModelDir);
      await this.#landmarks.load();
    }
    if (usesFaceres(init.embedder)) {
      this.#faceres = new FaceresNet(tf, init.faceresModelUrl);
      await this.#faceres.load();
    }
    const loaded = performance.now();
    await this.#warmup(tf);
    return { backend: String(tf.getBackend()), loadMs: loaded - started, warmupMs: performance.now() - loaded };
  }

  /** Analyses one camera frame; embeds the main face when `embed` is true. */
  async analyze(frame: RgbImage, embed: boolean): Promise<FrameAnalysis> {
    assertRgbImage(frame);
    const wantsCrop = embed && this.#faceres !== undefined;
    const faces = await this.#detect(frame, { rotation: embed, liveness: true, crops: wantsCrop });
    try {
      const mainIndex = mainFaceIndex(faces, frame);
      const others: FaceSummary[] = [];
      let main: MainFace | undefined;
      faces.forEach((face, i) => {
        if (i === mainIndex) return;
        others.push(summarize(face, frame));
      });
      const face = faces[mainIndex];
      if (face) {
        const landmarks = face.mesh.map(([x, y]) => ({ x: round1(x), y: round1(y) }));
        const summary = summarize(face, frame);
        main = embed ? { ...summary, landmarks, embedding: await this.#embed(frame, face, "live") } : { ...summary, landmarks };
      }
      return { width: frame.width, height: frame.height, main, others };
    } finally {
      disposeCrops(faces);
    }
  }

  /** Finds the face in a chip photo, trying the configured preparations in turn, and embeds it. */
  async embedChip(photo: RgbImage): Promise<ChipEmbedding> {
    assertRgbImage(photo);
    for (const preparation of this.#init.chip.attempts) {
      const prepared = prepareChip(photo, preparation, this.#init.chip);
      const faces = await this.#detect(prepared.image, { rotation: true, liveness: false, crops: this.#faceres !== undefined });
      try {
        const face = faces[mainFaceIndex(faces, prepared.image)];
        if (!face) continue;
        const embedding = await this.#embed(photo, face, "chip", prepared);
        const [x, y, w, h] = face.box;
        const a = prepared.toPhoto({ x, y });
        const b = prepared.toPhoto({ x: x + w, y: y + h });
        return { ok: true, embedding, box: { x: round1(a.x), y: round1(a.y), width: round1(b.x - a.x), height: round1(b.y - a.y) }, preparation };
      } finally {
        disposeCrops(faces);
      }
    }
    return { ok: false, reason: "no-face" };
  }

  /** Frees every model. */
  dispose(): void {
    this.#faceApi?.dispose();
    this.#landmarks?.dispose();
    this.#faceres?.dispose();
    this.#faceApi = undefined;
    this.#landmarks = undefined;
    this.#faceres = undefined;
    this.#human = undefined;
  }

  async #detect(image: RgbImage, pass: PassOptions): Promise<FaceResult[]> {
    const human = this.#human;
    if (!human) throw new Error("Face runtime used before load()");
    const tf = human.tf as typeof Tf;
    const input = tf.tensor3d(image.data, [image.height, image.width, 3], "int32");
    try {
      // Every toggled field is given on every call: human merges call options
      // into its persistent config.
      const result = await human.detect(input, {
        face: {
          detector: { rotation: pass.rotation, return: pass.crops },
          antispoof: { enabled: pass.liveness },
          liveness: { enabled: pass.liveness },
        },
      } as Partial<Config>);
      return result.face;
    } finally {
      tf.dispose(input);
    }
  }

  // The embedding of one face, L2-normalised. For a chip the face was found
  // in `prepared`, and its landmarks are mapped back to the photo.
  async #embed(image: RgbImage, face: FaceResult, kind: "chip" | "live", prepared?: PreparedChip): Promise<Float32Array> {
    const parts: Float32Array[] = [];
    if (this.#faceApi) {
      const points = await this.#alignmentPoints(image, face, prepared);
      let chip = alignFaceChip(image, points, RECOGNITION_CHIP_SIZE, CHIP_PADDING);
      const sigma = kind === "chip" ? this.#init.faceApi.chipBlurSigma : this.#init.faceApi.liveBlurSigma;
      if (sigma > 0) chip = gaussianBlur(chip, sigma);
      const direct = l2Normalize(await this.#faceApi.embed(chip));
      parts.push(this.#init.faceApi.flipAverage ? l2Normalize(sum(direct, l2Normalize(await this.#faceApi.embed(mirror(chip))))) : direct);
    }
    if (this.#faceres) {
      const crop = face.tensor as Tf.Tensor3D | undefined;
      if (!crop) throw new Error("human returned no face crop for faceres");
      parts.push(l2Normalize(await this.#faceres.embed(crop)));
    }
    return concat(parts);
  }

  // dlib's five points of the face, in `image` pixels: from human's mesh, or
  // from face-api's 68-point net run on the prepared image human searched.
  async #alignmentPoints(image: RgbImage, face: FaceResult, prepared?: PreparedChip): Promise<PixelPoint[]> {
    const toPhoto = prepared?.toPhoto ?? ((p: PixelPoint): PixelPoint => p);
    if (!this.#landmarks) return MESH_DLIB_5.map((i) => toPhoto(pointOf(face.mesh[i])));
    const [x, y, width, height] = face.box;
    const points = await this.#landmarks.detectRefined(prepared?.image ?? image, { x, y, width, height });
    return LANDMARK68_DLIB_5.map((i) => toPhoto(points[i] as PixelPoint));
  }

  #config(): Partial<Config> {
    const init = this.#init;
    const off = { enabled: false };
    // Caching and frame skipping off: every frame and chip gets a fresh result
    // (toolchain notes, gotcha 6).
    const fresh = { skipFrames: 0, skipTime: 0 };
    return {
      backend: "wasm",
      wasmPath: init.wasmDir,
      modelBasePath: init.humanModelsUrl,
      debug: false,
      async: false,
      warmup: "none",
      cacheSensitivity: 0,
      skipAllowed: false,
      filter: { enabled: false } as Config["filter"],
      face: {
        enabled: true,
        detector: { rotation: false, maxDetected: init.maxFaces, minConfidence: 0.2, return: false, ...fresh },
        mesh: { enabled: true },
        iris: { enabled: true },
        emotion: off,
        description: off,
        antispoof: { enabled: true, ...fresh },
        liveness: { enabled: true, ...fresh },
      } as Config["face"],
      body: off as Config["body"],
      hand: off as Config["hand"],
      object: off as Config["object"],
      segmentation: off as Config["segmentation"],
      gesture: off as Config["gesture"],
    };
  }

  async #warmup(tf: typeof Tf): Promise<void> {
    const grey = new Uint8Array(256 * 256 * 3).fill(128);
    await this.#detect({ width: 256, height: 256, data: grey }, { rotation: true, liveness: true, crops: false });
    if (this.#faceApi) {
      await this.#faceApi.embed({ width: RECOGNITION_CHIP_SIZE, height: RECOGNITION_CHIP_SIZE, data: new Uint8Array(RECOGNITION_CHIP_SIZE ** 2 * 3) });
    }
    if (this.#landmarks) {
      const grey = { width: 64, height: 64, data: new Uint8Array(64 * 64 * 3).fill(128) };
      await this.#landmarks.detect(grey, { x: 0, y: 0, width: 64, height: 64 });
    }
    if (this.#faceres) {
      const blank = tf.fill([112, 112, 3], 0.5) as Tf.Tensor3D;
      try {
        await this.#faceres.embed(blank);
      } finally {
        tf.dispose(blank);
      }
    }
  }
}

/**
 * Index of the applicant's face: the largest box, discounted by its distance
 * from the frame centre (a bystander leaning in at the edge can be as large
 * as the applicant, but is rarely centred). -1 when there is no face.
 */
export function mainFaceIndex(faces: readonly { readonly box: readonly number[] }[], frame: { readonly width: number; readonly height: number }): number {
  const cx = frame.width / 2;
  const cy = frame.height / 2;
  const halfDiagonal = Math.hypot(cx, cy);
  let best = -1;
  let bestScore = -1;
  faces.forEach((face, i) => {
    const [x = 0, y = 0, w = 0, h = 0] = face.box;
    const off = Math.min(1, Math.hypot(x + w / 2 - cx, y + h / 2 - cy) / halfDiagonal);
    const score = w * h * (1 - off);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

function summarize(face: FaceResult, frame: RgbImage): FaceSummary {
  const [x, y, width, height] = face.box;
  const box: FaceBox = { x, y, width, height };
  const angle = face.rotation?.angle;
  return {
    box,
    score: round3(face.boxScore ?? face.score),
    pose: {
      yawDeg: round1((angle?.yaw ?? 0) * RAD_TO_DEG),
      pitchDeg: round1((angle?.pitch ?? 0) * RAD_TO_DEG),
      rollDeg: round1((angle?.roll ?? 0) * RAD_TO_DEG),
    },
    quality: measureFaceQuality(frame, box, face.mesh.map(pointOf)),
    liveness: { real: round3(face.real ?? 0), live: round3(face.live ?? 0) },
  };
}

function disposeCrops(faces: readonly FaceResult[]): void {
  for (const face of faces) face.tensor?.dispose();
}

function pointOf(p: readonly (number | undefined)[] | undefined): PixelPoint {
  return { x: p?.[0] ?? 0, y: p?.[1] ?? 0 };
}

function sum(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + (b[i] as number);
  return out;
}

function concat(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0] as Float32Array;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
