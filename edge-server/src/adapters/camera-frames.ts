/**
 * The camera as a face capture sees it: the newest frame not seen yet,
 * decoded to RGB. Frames that arrive while one is analysed are skipped, so
 * latency never grows.
 */
import type { Camera, FrameDecoder } from "@kiosk/device";
import type { LiveFrame, LiveFrameSource } from "../ports.ts";

/** A {@linkcode LiveFrameSource} over a {@linkcode Camera} and a JPEG decoder. */
export class CameraLiveFrames implements LiveFrameSource {
  readonly #camera: Camera;
  readonly #decoder: FrameDecoder;
  #seq: number | undefined;

  constructor(camera: Camera, decoder: FrameDecoder) {
    this.#camera = camera;
    this.#decoder = decoder;
  }

  async next(signal: AbortSignal): Promise<LiveFrame> {
    const frame = await this.#camera.nextFrame({ ...(this.#seq === undefined ? {} : { after: this.#seq }), signal });
    this.#seq = frame.seq;
    const image = await this.#decoder.decode(frame);
    // A fresh buffer of its own: the engine may transfer it to a worker, and a decoder's buffer can be pooled (untransferable).
    return { image: { width: image.width, height: image.height, data: new Uint8Array(image.data) }, atMs: frame.capturedAtMs };
  }
}
