/**
 * The shapes of the session's event streams, apart from the `EventSource`
 * code of `session.ts`, so that controllers and their tests use them without
 * a browser. No DOM here.
 */
import type { SessionPrompt, SessionView } from "@kiosk/contracts";

/** What a stream tells its listener. */
export interface SessionStreamHandlers {
  readonly onView: (view: SessionView) => void;
  readonly onPrompt: (prompt: SessionPrompt) => void;
}

/** Closes a stream. */
export type CloseStream = () => void;
