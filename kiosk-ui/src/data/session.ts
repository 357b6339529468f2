/**
 * The session API of the kiosk service, as the UI uses it
 * (`contracts/src/session-api.ts`): the stream of views and voice prompts,
 * the applicant's events, the signature and the camera preview. No DOM here
 * but `EventSource`.
 */
import {
  applicantEventSchema,
  isSessionLanguage,
  isSessionPromptKey,
  previewFrameSchema,
  sessionViewSchema,
  type ApplicantEvent,
  type PreviewFrame,
  type SessionPrompt,
  type SessionView,
  type SignatureInput,
} from "@kiosk/contracts";
import { requestJson } from "./request-json.ts";
import type { CloseStream, SessionStreamHandlers } from "./session-stream.ts";

/** How long posting an event or a signature may take. */
export const SESSION_POST_TIMEOUT_MS = 4_000;

/**
 * Time before opening a stream again after the service closed it for good
 * (an error status while it restarts); a dropped connection the browser
 * retries by itself.
 */
export const STREAM_REOPEN_MS = 1_000;

// Opens `url` and keeps it open across restarts of the service until closed.
function keepOpen(url: string, listen: (source: EventSource) => void): CloseStream {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const open = () => {
    const current = new EventSource(url);
    source = current;
    listen(current);
    current.addEventListener("error", () => {
      if (closed || current.readyState !== EventSource.CLOSED) return;
      timer = setTimeout(open, STREAM_REOPEN_MS);
    });
  };
  open();
  return () => {
    closed = true;
    clearTimeout(timer);
    source?.close();
  };
}

// An event whose data the schema refuses is dropped: the next one will do.
function parsed<T>(data: string, parse: (value: unknown) => T): T | undefined {
  try {
    return parse(JSON.parse(data));
  } catch {
    return undefined;
  }
}

function parsePrompt(value: unknown): SessionPrompt {
  const { key, language } = (value ?? {}) as Record<string, unknown>;
  if (typeof key !== "string" || !isSessionPromptKey(key) || typeof language !== "string" || !isSessionLanguage(language)) {
    throw new TypeError("Not a session prompt");
  }
  return { key, language };
}

/** Follows `GET /api/session/stream`: every view and every prompt, until closed. */
export function openSessionStream(handlers: SessionStreamHandlers): CloseStream {
  return keepOpen(
    "/api/session/stream",
    (source) => {
      source.addEventListener("view", (event) => {
        const view = parsed(event.data, (value) => sessionViewSchema.parse(value));
        if (view) handlers.onView(view);
      });
      source.addEventListener("prompt", (event) => {
        const prompt = parsed(event.data, parsePrompt);
        if (prompt) handlers.onPrompt(prompt);
      });
    },
  );
}

/** Follows `GET /api/session/preview`: every camera frame, until closed. */
export function openPreviewStream(onFrame: (frame: PreviewFrame) => void): CloseStream {
  return keepOpen("/api/session/preview", (source) => {
    source.addEventListener("frame", (event) => {
      const frame = parsed(event.data, (value) => previewFrameSchema.parse(value));
      if (frame) onFrame(frame);
    });
  });
}

/**
 * Posts an applicant's event; answers the view it led to.
 *
 * @throws {KioskError} `edge-unreachable` or `edge-bad-response`, which includes a refused event (409).
 */
export function sendApplicantEvent(event: ApplicantEvent): Promise<SessionView> {
  return requestJson("/api/session/events", (body) => sessionViewSchema.parse(body), { timeoutMs: SESSION_POST_TIMEOUT_MS, body: applicantEventSchema.parse(event) });
}

/**
 * Posts the applicant's signature; answers the view it led to.
 *
 * @throws {KioskError} `edge-unreachable` or `edge-bad-response`.
 */
export function sendSignature(signature: SignatureInput): Promise<SessionView> {
  return requestJson("/api/session/signature", (body) => sessionViewSchema.parse(body), { timeoutMs: SESSION_POST_TIMEOUT_MS, body: signature });
}
