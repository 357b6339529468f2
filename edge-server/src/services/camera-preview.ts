/**
 * The live camera preview of the face step: every camera frame, as it
 * arrives, goes to the open viewers as a {@linkcode PreviewFrame} with the
 * face box and guidance of the latest analysed frame. Viewers can open only
 * while the session is on the face step, and every viewer is ended when the
 * step ends. Nothing is kept: a frame is encoded, handed to the viewers and
 * dropped; the latest analysis is dropped with the step.
 */
import type { Logger, PreviewFrame, Service, SessionView } from "@kiosk/contracts";
import type { CameraFrame } from "@kiosk/device";
import type { FrameAnalysisInfo } from "./face-capture.ts";
import type { SessionHub } from "./verification-session-service.ts";

/** The camera as the preview uses it (`Camera.onFrame`). */
export interface PreviewCamera {
  /** Calls `listener` with every frame as it arrives; returns the remover. */
  onFrame(listener: (frame: CameraFrame) => void): () => void;
}

/** What the preview needs. */
export interface CameraPreviewDeps {
  readonly camera: PreviewCamera;
  readonly hub: Pick<SessionHub, "view" | "subscribe">;
  readonly log: Logger;
}

/** One open preview. */
interface Viewer {
  readonly onFrame: (frame: PreviewFrame) => void;
  readonly onEnd: () => void;
}

/** Bytes per `String.fromCharCode` call when encoding base64 (well under any engine's argument limit). */
const BASE64_CHUNK = 0x8000;

/** Forwards camera frames to preview viewers while the face step runs. */
export class CameraPreview implements Service {
  readonly name = "camera-preview";
  readonly #deps: CameraPreviewDeps;
  readonly #viewers = new Set<Viewer>();
  #onFace = false;
  #analysis: FrameAnalysisInfo | undefined;
  #offCamera: (() => void) | undefined;
  #offHub: (() => void) | undefined;

  constructor(deps: CameraPreviewDeps) {
    this.#deps = deps;
  }

  /** Follows the session's step. */
  async start(): Promise<void> {
    if (this.#offHub) return;
    this.#offHub = this.#deps.hub.subscribe((view) => this.#stepChanged(view));
    this.#stepChanged(this.#deps.hub.view());
  }

  /** Ends every viewer and lets go of the camera and the session. */
  async stop(): Promise<void> {
    this.#offHub?.();
    this.#offHub = undefined;
    this.#onFace = false;
    this.#endAll();
  }

  /** Number of open viewers. */
  get viewers(): number {
    return this.#viewers.size;
  }

  /** Takes what the face capture saw on its latest analysed frame (the capture's `onAnalysis`). */
  analysed(info: FrameAnalysisInfo): void {
    if (this.#onFace) this.#analysis = info;
  }

  /**
   * Opens a viewer: `onFrame` gets every frame until the face step ends,
   * then `onEnd` is called once.
   *
   * @returns the function that closes the viewer, or null when the session
   *   is not on the face step (nothing is opened).
   */
  open(onFrame: (frame: PreviewFrame) => void, onEnd: () => void): (() => void) | null {
    if (!this.#onFace) return null;
    const viewer: Viewer = { onFrame, onEnd };
    this.#viewers.add(viewer);
    this.#offCamera ??= this.#deps.camera.onFrame((frame) => this.#frame(frame));
    return () => {
      this.#viewers.delete(viewer);
      if (this.#viewers.size === 0) this.#releaseCamera();
    };
  }

  #stepChanged(view: SessionView): void {
    const onFace = view.step === "face";
    if (onFace === this.#onFace) return;
    this.#onFace = onFace;
    if (!onFace) this.#endAll();
  }

  #frame(frame: CameraFrame): void {
    if (!this.#onFace || this.#viewers.size === 0) return;
    const analysis = this.#analysis;
    const preview: PreviewFrame = {
      atMs: frame.capturedAtMs,
      width: frame.width,
      height: frame.height,
      jpeg: toBase64(frame.bytes),
      face: analysis?.box ? { x: analysis.box.x, y: analysis.box.y, width: analysis.box.width, height: analysis.box.height } : null,
      guidance: analysis?.guidance ?? null,
    };
    for (const viewer of [...this.#viewers]) {
      try {
        viewer.onFrame(preview);
      } catch (error) {
        this.#deps.log.warn("preview viewer failed", { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  #endAll(): void {
    this.#analysis = undefined;
    const viewers = [...this.#viewers];
    this.#viewers.clear();
    this.#releaseCamera();
    for (const viewer of viewers) viewer.onEnd();
  }

  #releaseCamera(): void {
    this.#offCamera?.();
    this.#offCamera = undefined;
  }
}

/** Standard base64 of `bytes` (web APIs only, so it runs on Bun and Deno alike). */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += BASE64_CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + BASE64_CHUNK));
  return btoa(binary);
}
