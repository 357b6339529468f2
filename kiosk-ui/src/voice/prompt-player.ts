/**
 * The port through which the voice prompt controller plays one clip, so that
 * it can be tested without a browser; `playWithAudioElement` is the one the
 * kiosk uses.
 */

/** One clip being played. */
export interface PromptPlayback {
  /**
   * Settles when the clip ends (fulfilled), or when it cannot play: rejected
   * with a `NotAllowedError` DOMException when the browser blocks playing
   * before a touch, with an `AbortError` when stopped, and with another
   * error when the clip cannot be loaded or decoded.
   */
  readonly done: Promise<void>;
  /** Stops the clip at once and releases it. */
  stop(): void;
}

/** Starts playing the clip at `url`. */
export type PromptPlayer = (url: string) => PromptPlayback;

/** True when `error` says the browser refused to play before the applicant touched the screen. */
export function isAutoplayBlocked(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "NotAllowedError";
}
