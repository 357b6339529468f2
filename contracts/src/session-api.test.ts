import { describe, expect, test } from "bun:test";
import { applicantEventSchema, previewFrameSchema } from "./session-api.ts";

describe("applicantEventSchema", () => {
  test("accepts each applicant event", () => {
    for (const event of [
      { type: "start" },
      { type: "set-language", language: "en" },
      { type: "consent", agree: false },
      { type: "toggle-matter", matterId: "M-1", confirmed: true },
      { type: "done" },
    ]) {
      expect(applicantEventSchema.parse(event)).toEqual(event as never);
    }
  });

  test("refuses the shell's own events, unknown languages and extra fields", () => {
    expect(applicantEventSchema.safeParse({ type: "card-read" }).success).toBe(false);
    expect(applicantEventSchema.safeParse({ type: "result-saved", sessionId: "s" }).success).toBe(false);
    expect(applicantEventSchema.safeParse({ type: "set-language", language: "fr" }).success).toBe(false);
    expect(applicantEventSchema.safeParse({ type: "start", outcome: "verified" }).success).toBe(false);
  });
});

describe("previewFrameSchema", () => {
  const frame = { atMs: 1_765_000_000_000, width: 640, height: 480, jpeg: "/9j/", face: { x: 200, y: 100, width: 220, height: 260 }, guidance: null };

  test("accepts a frame with and without a face", () => {
    expect(previewFrameSchema.parse(frame)).toEqual(frame);
    expect(previewFrameSchema.parse({ ...frame, face: null, guidance: "no-face" }).guidance).toBe("no-face");
  });

  test("refuses an unknown guidance code", () => {
    expect(previewFrameSchema.safeParse({ ...frame, guidance: "smile" }).success).toBe(false);
  });
});
