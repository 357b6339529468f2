/**
 * Messages between {@linkcode WorkerFaceEngine} (main thread) and each
 * `face-worker.ts` (one Bun Worker per core, each with its own single-thread
 * WASM tfjs). Image and embedding buffers travel as transferables.
 */
import type { ErrorCode } from "@kiosk/contracts";
import type { ChipEmbedding, FrameAnalysis, RgbImage } from "../../ports.ts";
import type { ChipPreparationOptions } from "./chip-preparation.ts";
import type { EmbedderName, FaceApiPreparation } from "./embedders.ts";

/** Everything a worker needs to load its models. */
export interface WorkerInit {
  /** Which embedding network(s) to load. */
  readonly embedder: EmbedderName;
  /** `file://` URL of human's models folder, with a trailing slash. */
  readonly humanModelsUrl: string;
  /** Folder of face-api's model files (recognition net). */
  readonly faceApiModelDir: string;
  /** `file://` URL of the faceres model JSON to use for faceres-based embedders. */
  readonly faceresModelUrl: string;
  /** Folder of tfjs-backend-wasm's `.wasm` files, with a trailing slash. */
  readonly wasmDir: string;
  /** Faces looked for per frame (the applicant plus bystanders). */
  readonly maxFaces: number;
  readonly chip: ChipPreparationOptions;
  readonly faceApi: FaceApiPreparation;
}

/** A request from the engine to a worker. */
export type WorkerRequest =
  | { readonly type: "init"; readonly init: WorkerInit }
  | { readonly type: "analyze"; readonly id: number; readonly frame: RgbImage; readonly embed: boolean }
  | { readonly type: "embed-chip"; readonly id: number; readonly photo: RgbImage }
  | { readonly type: "close" };

/** An error as it crosses the worker boundary. */
export interface WorkerError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** A reply from a worker. */
export type WorkerResponse =
  | { readonly type: "ready"; readonly backend: string; readonly loadMs: number; readonly warmupMs: number }
  | { readonly type: "init-failed"; readonly error: WorkerError }
  | { readonly type: "analyzed"; readonly id: number; readonly result: FrameAnalysis }
  | { readonly type: "chip-embedded"; readonly id: number; readonly result: ChipEmbedding }
  | { readonly type: "failed"; readonly id: number; readonly error: WorkerError }
  | { readonly type: "closed" };

/**
 * The buffers of `image` that can be transferred instead of copied: only
 * when the view covers its whole buffer (a view into a shared pool, such as
 * a small Node `Buffer`, must be copied, or the transfer would detach
 * unrelated data).
 */
export function transferableImage(image: RgbImage): { image: RgbImage; transfer: ArrayBuffer[] } {
  const { data } = image;
  if (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength && data.buffer instanceof ArrayBuffer) {
    return { image: { width: image.width, height: image.height, data }, transfer: [data.buffer] };
  }
  const copy = new Uint8Array(data);
  return { image: { width: image.width, height: image.height, data: copy }, transfer: [copy.buffer] };
}
