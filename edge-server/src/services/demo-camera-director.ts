/**
 * Plays the applicant's part in front of the demo camera: when a session view
 * on the face step asks for a challenge action, the replayed person performs
 * it, once per action asked.
 */
import { silentLogger, type Logger, type SessionView } from "@kiosk/contracts";
import type { DemoCameraControl, SessionViewSource } from "../demo-ports.ts";

/**
 * Watches session views and makes the demo camera perform what each face
 * view's challenge asks.
 *
 * @example
 * ```ts
 * const director = new DemoCameraDirector(camera);
 * const detach = director.attach(sessionHub);
 * ```
 */
export class DemoCameraDirector {
  readonly #camera: DemoCameraControl;
  readonly #log: Logger;
  // The challenge action last performed (attempt, step and action), until the face step ends.
  #performed: string | undefined;

  constructor(camera: DemoCameraControl, log: Logger = silentLogger) {
    this.#camera = camera;
    this.#log = log;
  }

  /** Follows the views of `source` until the returned function is called. */
  attach(source: SessionViewSource): () => void {
    return source.subscribe((view) => this.observe(view));
  }

  /** Takes one view: a face view whose challenge action was not performed yet makes the camera perform it. */
  observe(view: SessionView): void {
    if (view.step !== "face") {
      this.#performed = undefined;
      return;
    }
    const challenge = view.challenge;
    if (!challenge) return;
    const key = `${view.attempt}:${challenge.step}:${challenge.action}`;
    if (key === this.#performed) return;
    this.#performed = key;
    this.#camera.perform(challenge.action).catch((error: unknown) => this.#log.warn("The demo camera could not perform the challenge", { action: challenge.action, error: String(error) }));
  }
}
