/**
 * The edge server's session API for the kiosk UI (`/api/session/…`): the
 * requests the UI may send and the frames of the live camera preview. The
 * session's state itself travels as a {@linkcode SessionView}
 * (`session-view.ts`).
 *
 * | route | answer |
 * |---|---|
 * | `GET /api/session` | the current `SessionView` |
 * | `GET /api/session/stream` | Server-Sent Events: `view` events (a `SessionView`), one at once, then on every change and every second while a countdown shows; `prompt` events (a {@linkcode SessionPrompt}) when a voice prompt is due |
 * | `POST /api/session/events` | an {@linkcode ApplicantEvent}; 200 with the new `SessionView`, 400 `bad-request` when malformed, 409 `session-rejected` when refused (problem details `reason` holds the rejection code) |
 * | `POST /api/session/signature` | a {@linkcode SignatureInput}; 200 with the new view, 400, or 409 outside the signature step |
 * | `GET /api/session/preview` | Server-Sent Events: `frame` events (a {@linkcode PreviewFrame}) while the face step runs; 409 on any other step; the stream ends with the step |
 *
 * The UI decides nothing: it renders views and forwards touches.
 */
import { z } from "zod";
import { GUIDANCE_CODES } from "./face-codes.ts";
import { SESSION_LANGUAGES, type SessionLanguage, type SessionPromptKey } from "./session-view.ts";
import type { Signature } from "./verification-result.ts";

const language = z.enum(SESSION_LANGUAGES);

/** What the applicant did, as the UI reports it (the subset of the session machine's events a touch can cause). */
export const applicantEventSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("start") }),
  z.strictObject({ type: z.literal("touch") }),
  z.strictObject({ type: z.literal("set-language"), language }),
  z.strictObject({ type: z.literal("choose-language"), language }),
  z.strictObject({ type: z.literal("consent"), agree: z.boolean() }),
  z.strictObject({ type: z.literal("retry-face") }),
  z.strictObject({ type: z.literal("ask-for-staff") }),
  z.strictObject({ type: z.literal("toggle-matter"), matterId: z.string().min(1).max(64), confirmed: z.boolean() }),
  z.strictObject({ type: z.literal("confirm-matters") }),
  z.strictObject({ type: z.literal("start-over") }),
  z.strictObject({ type: z.literal("done") }),
]);

/** An applicant's event. */
export type ApplicantEvent = z.infer<typeof applicantEventSchema>;

/** A voice prompt to play now, with its caption (`voice-prompts.ts`). */
export interface SessionPrompt {
  readonly key: SessionPromptKey;
  readonly language: SessionLanguage;
}

/** Largest request body of the session API, in bytes (a signature at its limits is about 20 KB). */
export const SESSION_API_MAX_BODY_BYTES = 64 * 1024;

/**
 * The signature as the UI sends it: the strokes and canvas size of
 * `signatureSchema` (`verification-result.ts`); the edge server stamps
 * `capturedAt` and validates the whole with that schema.
 */
export type SignatureInput = Omit<Signature, "capturedAt">;

/** A rectangle in the preview frame's pixels. */
const boxSchema = z.object({ x: z.number(), y: z.number(), width: z.number().nonnegative(), height: z.number().nonnegative() });

/** One frame of the live camera preview, with what the face capture saw on the latest analysed frame. */
export const previewFrameSchema = z.object({
  /** Capture time, epoch ms on the kiosk clock (the UI measures the preview's delay with it). */
  atMs: z.number(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** The frame as a base64 JPEG. */
  jpeg: z.string(),
  /** The applicant's face box on the latest analysed frame, or null when no face was found. */
  face: boxSchema.nullable(),
  /** The guidance code of the latest analysed frame, or null when the frame is good. */
  guidance: z.enum(GUIDANCE_CODES).nullable(),
});

/** One frame of the live camera preview. */
export type PreviewFrame = z.infer<typeof previewFrameSchema>;
