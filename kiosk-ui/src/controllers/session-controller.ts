import type { ApplicantEvent, SessionPrompt, SessionView, SignatureInput } from "@kiosk/contracts";
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { CloseStream, SessionStreamHandlers } from "../data/session-stream.ts";

/** The session API as the controller uses it (`data/session.ts` in the kiosk, fakes in tests). */
export interface SessionPort {
  readonly openStream: (handlers: SessionStreamHandlers) => CloseStream;
  readonly sendEvent: (event: ApplicantEvent) => Promise<SessionView>;
  readonly sendSignature: (signature: SignatureInput) => Promise<SessionView>;
}

/**
 * Follows the session while its host is connected: the latest view and the
 * latest voice prompt, re-rendering the host on each. Touches go to the edge
 * server; what they change arrives on the stream, the one source of views
 * (an answer shown as well could arrive after a newer pushed view and undo
 * it). A refused or lost request changes nothing. The stream reopens by
 * itself after an edge-server restart.
 */
export class SessionController implements ReactiveController {
  view: SessionView | undefined;
  prompt: SessionPrompt | undefined;
  readonly #host: ReactiveControllerHost;
  readonly #port: SessionPort;
  #close: CloseStream | undefined;

  constructor(host: ReactiveControllerHost, port: SessionPort) {
    this.#host = host;
    this.#port = port;
    host.addController(this);
  }

  hostConnected(): void {
    this.#close = this.#port.openStream({
      onView: (view) => this.#show(view),
      onPrompt: (prompt) => {
        this.prompt = prompt;
        this.#host.requestUpdate();
      },
    });
  }

  hostDisconnected(): void {
    this.#close?.();
    this.#close = undefined;
  }

  /** Sends the applicant's `event`. */
  async send(event: ApplicantEvent): Promise<void> {
    await this.#settle(this.#port.sendEvent(event));
  }

  /** Sends the applicant's signature. */
  async sign(signature: SignatureInput): Promise<void> {
    await this.#settle(this.#port.sendSignature(signature));
  }

  async #settle(answer: Promise<SessionView>): Promise<void> {
    try {
      await answer;
    } catch {
      // Refused or lost: the stream keeps showing the view that holds.
    }
  }

  #show(view: SessionView): void {
    // A prompt belongs to its step: the next step brings its own, or none.
    if (view.step !== this.view?.step) this.prompt = undefined;
    this.view = view;
    this.#host.requestUpdate();
  }
}
