import type { PreviewFrame } from "@kiosk/contracts";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CloseStream } from "../data/session-stream.ts";

/**
 * Follows the live camera preview while its host is connected and
 * {@linkcode follow} says so (the face step): holds the latest frame and
 * re-renders the host on each. Leaving the step closes the stream and drops
 * the frame.
 */
export class CameraPreviewController implements ReactiveController {
  frame: PreviewFrame | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #open: (onFrame: (frame: PreviewFrame) => void) => CloseStream;
  #wanted = false;
  #close: CloseStream | undefined;

  /** `open` starts the preview stream (`openPreviewStream` in the kiosk). */
  constructor(host: ReactiveControllerHost, open: (onFrame: (frame: PreviewFrame) => void) => CloseStream) {
    this.#host = host;
    this.#open = open;
    host.addController(this);
  }

  /** Opens the preview when `active` and closes it otherwise. */
  follow(active: boolean): void {
    this.#wanted = active;
    if (active) this.#start();
    else this.#stop();
  }

  hostConnected(): void {
    if (this.#wanted) this.#start();
  }

  hostDisconnected(): void {
    this.#stop();
  }

  #start(): void {
    if (this.#close) return;
    this.#close = this.#open((frame) => {
      this.frame = frame;
      this.#host.requestUpdate();
    });
  }

  #stop(): void {
    this.#close?.();
    this.#close = undefined;
    this.frame = undefined;
  }
}
