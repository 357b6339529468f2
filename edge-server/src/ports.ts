/**
 * The interfaces the edge server's services need from the outside world.
 * Adapters implement them; tests pass fakes.
 */
import type { DevicesStatus, Heartbeat, HeartbeatAck, OutboxHealth, Service, SessionPromptKey, SyncDownHealth, SessionLanguage } from "@kiosk/contracts";
import type { CalibratedThreshold, EmbeddingModel } from "./domain/face-match.ts";

/** Reports the current status of the kiosk's devices. */
export interface DeviceStatusSource {
  snapshot(): DevicesStatus;
}

/** The requests the kiosk makes to central. */
export interface CentralClient {
  /** The base URL, for status reports. */
  readonly url: string;
  /**
   * Delivers one heartbeat.
   * @throws {KioskError} `central-unreachable` (retryable) or `central-rejected`.
   */
  sendHeartbeat(heartbeat: Heartbeat, signal?: AbortSignal): Promise<HeartbeatAck>;
}

/** A static file of the kiosk UI. */
export interface Asset {
  readonly body: Uint8Array;
  readonly contentType: string;
}

/** Serves the built kiosk UI. */
export interface AssetSource {
  /** The asset at a URL path such as `/index.html`, or `undefined` when there is none. */
  get(path: string): Promise<Asset | undefined>;
}

/** A packed 8-bit RGB image: `data[(y·width + x)·3 + c]`, c = 0 red, 1 green, 2 blue. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** What the kiosk's local storage reports for the health endpoint. */
export interface StorageStatus {
  /** False when new results are refused (storage full): the kiosk must go out of service. */
  readonly acceptingResults: boolean;
  readonly outbox: OutboxHealth;
  readonly syncDown: SyncDownHealth;
}

/** A rectangle in image pixels: top-left corner and size. */
export interface FaceBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Head orientation in degrees; 0, 0, 0 faces the camera upright. */
export interface HeadPose {
  /** Turn left/right. */
  readonly yawDeg: number;
  /** Nod up/down. */
  readonly pitchDeg: number;
  /** Tilt towards a shoulder. */
  readonly rollDeg: number;
}

/** Capture-quality measures of one face, for guiding the applicant and choosing frames. */
export interface FaceQuality {
  /** Longer side of the face box, in pixels. */
  readonly faceSizePx: number;
  /** Face centre minus frame centre, as fractions of the frame's width and height (0 = centred, ±0.5 = at the edge). */
  readonly centreOffset: { readonly x: number; readonly y: number };
  /** Mean luma of the face box, 0–255. */
  readonly brightness: number;
  /** Variance of the Laplacian of the face resampled to 112 px (luma²); low means blurred. */
  readonly sharpness: number;
  /** Lid gap over eye width per eye (the subject's left and right): about 0.3–0.5 open, below about 0.15 closed. */
  readonly eyeOpenness: { readonly left: number; readonly right: number };
}

/** Passive liveness hints from single frames. Weak signals, not presentation-attack detection. */
export interface LivenessSignals {
  /** human's antispoof score, 0–1 (real versus computer-generated or edited face). */
  readonly real: number;
  /** human's liveness score, 0–1 (live versus obvious replay artefacts). */
  readonly live: number;
}

/** What the engine reports about any face in a frame. */
export interface FaceSummary {
  readonly box: FaceBox;
  /** Detection confidence, 0–1. */
  readonly score: number;
  readonly pose: HeadPose;
  readonly quality: FaceQuality;
  readonly liveness: LivenessSignals;
}

/** The applicant's face: the summary, its landmarks and, when asked for, its embedding. */
export interface MainFace extends FaceSummary {
  /** The 478 face-mesh points (468 mesh + 10 iris, MediaPipe order) in frame pixels. */
  readonly landmarks: readonly { readonly x: number; readonly y: number }[];
  /** L2-normalised embedding, present when the analysis asked for it. */
  readonly embedding?: Float32Array;
}

/** One analysed camera frame. */
export interface FrameAnalysis {
  readonly width: number;
  readonly height: number;
  /** The applicant: the largest, most central face; `undefined` when no face was found. */
  readonly main: MainFace | undefined;
  /** Everyone else in the frame. Located for guidance ("one person at a time"), never identified. */
  readonly others: readonly FaceSummary[];
}

/** How the chip photo was prepared before its face was found. */
export type ChipPreparation = "as-is" | "padded" | "upscaled" | "padded-upscaled";

/** The embedding of the chip photo, or why there is none. */
export type ChipEmbedding =
  | {
      readonly ok: true;
      /** L2-normalised embedding. */
      readonly embedding: Float32Array;
      /** Face box in the chip photo's pixels. */
      readonly box: FaceBox;
      readonly preparation: ChipPreparation;
    }
  | { readonly ok: false; readonly reason: "no-face" };

/** Options of every {@linkcode FaceEngine} call. */
export interface FaceCallOptions {
  /**
   * Ends the call at once when it aborts: the call rejects with a
   * `face-engine-aborted` KioskError and a late answer is dropped.
   */
  readonly signal?: AbortSignal;
}

/**
 * Face detection, quality measures and embeddings. Implementations load
 * models in `start()` and release them in `stop()`; every method may run
 * concurrently. Image buffers passed in are handed over to the engine (they
 * may be transferred to a worker and become unusable to the caller).
 */
export interface FaceEngine extends Service {
  /** Identity of the embeddings this engine produces. */
  readonly model: EmbeddingModel;
  /** The decision threshold, checked at start to be calibrated for {@linkcode model}. */
  readonly threshold: CalibratedThreshold;
  /**
   * Finds the faces in a camera frame, measures them, and embeds the main
   * face when `options.embed` is true (bystanders are never embedded).
   *
   * @throws {KioskError} `overloaded` when too many frames are queued,
   *   `shutting-down` after `stop()`, `face-engine-timeout` when no answer
   *   comes within the engine's per-call deadline, `face-engine-crashed` when
   *   the worker handling it died, `face-engine-aborted` when `options.signal`
   *   aborts.
   */
  analyze(frame: RgbImage, options?: FaceCallOptions & { readonly embed?: boolean }): Promise<FrameAnalysis>;
  /**
   * Embeds the face of a decoded ID-card chip photo (102×126), preparing the
   * tiny image as calibrated (padding, upscaling) when the face is not found
   * as-is.
   *
   * @throws {KioskError} as {@linkcode FaceEngine.analyze}.
   */
  embedChip(photo: RgbImage, options?: FaceCallOptions): Promise<ChipEmbedding>;
}

/** A decoded camera frame and when it was captured. */
export interface LiveFrame {
  readonly image: RgbImage;
  /** Capture time, epoch ms on the camera's clock. */
  readonly atMs: number;
}

/** Camera frames as pixels, newest only: what a face capture reads. */
export interface LiveFrameSource {
  /**
   * The newest frame not returned before, waiting for one when there is none.
   *
   * @throws the signal's reason when it aborts; a `KioskError` when the camera
   *   is stopped or a replay ended.
   */
  next(signal: AbortSignal): Promise<LiveFrame>;
}

/** A voice prompt's clip, ready to serve. */
export interface VoiceClip {
  readonly body: Uint8Array;
  /** `audio/ogg`, `audio/mpeg` or `audio/wav`. */
  readonly contentType: string;
  /** A recording dropped into the recordings folder, or the clip generated from the caption. */
  readonly origin: "recording" | "generated";
}

/** Finds the clip of a voice prompt. */
export interface VoicePromptSource {
  /** The clip of `key` in `lang`, or `undefined` when there is none. */
  get(lang: SessionLanguage, key: SessionPromptKey): Promise<VoiceClip | undefined>;
}
