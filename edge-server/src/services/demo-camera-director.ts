/**
 * Plays the applicant's part in front of the demo camera: when a session view
 * on the face step asks for a challenge action, the replayed person performs
 * it, and again while the kiosk still asks for it.
 */
import { silentLogger, systemClock, type ChallengeAction, type Clock, type Logger, type SessionView, type TimerId } from "@kiosk/contracts";
import type { DemoCameraControl, SessionViewSource } from "../demo-ports.ts";

/**
 * Time after which an action the view still asks for is performed again, as
 * a person whose blink the kiosk missed blinks again (a clip lasts about
 * 1.2 s; a busy face engine can miss its few frames).
 */
export const DEMO_REPEAT_ACTION_MS = 2_500;

/**
 * Watches session views and makes the demo camera perform what each face
 * view's challenge asks.
 *
 * @example
 * ```ts
 * const detach = new DemoCameraDirector(demo.camera, log).attach(session);
 * ```
 */
export class DemoCameraDirector {
  readonly #camera: DemoCameraControl;
  readonly #log: Logger;
  readonly #clock: Clock;
  // The challenge action being performed (attempt, step and action), until the face step ends.
  #performed: string | undefined;
  #repeat: TimerId | undefined;

  constructor(camera: DemoCameraControl, log: Logger = silentLogger, clock: Clock = systemClock) {
    this.#camera = camera;
    this.#log = log;
    this.#clock = clock;
  }

  /** Follows the views of `source` until the returned function is called. */
  attach(source: SessionViewSource): () => void {
    const unsubscribe = source.subscribe((view) => this.observe(view));
    return () => {
      unsubscribe();
      this.#forget();
    };
  }

  /**
   * Takes one view: a face view whose challenge action is not being
   * performed yet makes the camera perform it, and again every
   * {@linkcode DEMO_REPEAT_ACTION_MS} while the views still ask for it.
   */
  observe(view: SessionView): void {
    const challenge = view.step === "face" ? view.challenge : null;
    if (view.step !== "face" || !challenge) {
      this.#forget();
      return;
    }
    const key = `${view.attempt}:${challenge.step}:${challenge.action}`;
    if (key === this.#performed) return;
    this.#forget();
    this.#performed = key;
    this.#perform(challenge.action, key);
  }

  #perform(action: ChallengeAction, key: string): void {
    this.#camera.perform(action).catch((error: unknown) => this.#log.warn("The demo camera could not perform the challenge", { action, error: String(error) }));
    this.#repeat = this.#clock.setTimeout(() => {
      if (this.#performed === key) this.#perform(action, key);
    }, DEMO_REPEAT_ACTION_MS);
  }

  #forget(): void {
    if (this.#repeat !== undefined) this.#clock.clearTimeout(this.#repeat);
    this.#repeat = undefined;
    this.#performed = undefined;
  }
}
