/**
 * The ports of demo mode (`demo.enabled`): what the `/demo/` routes steer.
 * The adapters are a simulated reader's control socket and the demo camera.
 */
import type { ChallengeAction, DemoCard, SessionView } from "@kiosk/contracts";

/** The simulated ID-card reader, as the demo moves cards on it. */
export interface DemoReaderControl {
  /** The cards that can be placed. */
  cards(): Promise<DemoCard[]>;
  /**
   * Places card `id` on the reader.
   *
   * @throws {KioskError} `not-found` for an unknown id; `device-unavailable` when the simulator does not answer.
   */
  place(id: string): Promise<void>;
  /** Takes the card off the reader. */
  remove(): Promise<void>;
  /** The card read next (on the reader now, or placed next) is pulled away during its read. */
  liftDuringNextRead(): Promise<void>;
  /** Plugs the reader in (`true`) or pulls it out (`false`). */
  setConnected(connected: boolean): Promise<void>;
}

/** The replayed camera, as the demo points it at someone. */
export interface DemoCameraControl {
  /** Puts a person (a card id, `other` or `nobody`) in front of the camera; `printedPhoto` never performs. */
  show(person: string, options?: { readonly printedPhoto?: boolean }): Promise<void>;
  /** The person in view performs `action` once. */
  perform(action: ChallengeAction): Promise<void>;
}

/** Where session views come from (the session service's hub). */
export interface SessionViewSource {
  subscribe(onView: (view: SessionView) => void): () => void;
}
