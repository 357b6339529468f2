/**
 * Settings of the liveness check (`face.liveness`): the passive signals of
 * human's antispoof and liveness models, and the active challenge (a random
 * short sequence of blinks and head turns checked frame by frame). What an
 * RGB-only camera can and cannot stop is written down in
 * `adapters/face/LIVENESS.md`. The defaults were measured with the real
 * engine on sequences generated from the CC BY fixture photos
 * (`adapters/face/face-sequence.test.ts`).
 *
 * This module imports only zod and the pure liveness domain, so
 * provisioning can read the schema.
 */
import { z } from "zod";
import { CHALLENGE_ACTIONS } from "./domain/liveness-challenge.ts";
import { LIVENESS_MODES } from "./domain/liveness-decision.ts";

/** Schema of the `face.liveness` settings. */
export const livenessConfigSchema = z.object({
  mode: z.enum(LIVENESS_MODES).default("both").meta({
    description:
      "passive (antispoof/liveness scores only), active (challenge only) or both. The passive scores are weak hints: both sample print/screen attacks passed them (notes/face.md)",
  }),
  passive: z.object({
    minReal: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .meta({
        description:
          "Lowest median antispoof score (real versus generated/edited) over the frames checked. 52 London photos in 640×480 frames measure 0.40–0.90 (median 0.77, 10th percentile 0.62); human's faceid demo uses 0.6",
      }),
    minLive: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .meta({
        description:
          "Lowest median liveness score (live versus replay artefacts) over the frames checked. 52 London photos in 640×480 frames measure 0.56–0.99 (median 0.94, 10th percentile 0.77); a very dark frame 0.5",
      }),
  }).prefault({}),
  active: z.object({
    actions: z
      .number()
      .int()
      .min(1)
      .max(5)
      .default(2)
      .meta({ description: "Actions per challenge, drawn at random (never the same action twice in a row)" }),
    allowedActions: z
      .array(z.enum(CHALLENGE_ACTIONS))
      .min(1)
      .default([...CHALLENGE_ACTIONS])
      .meta({ description: "Actions the challenge may ask for: blink, turn-left, turn-right (the applicant's own left and right)" }),
    timeLimitMs: z
      .number()
      .int()
      .min(1000)
      .max(120_000)
      .default(10_000)
      .meta({ description: "Time allowed for the whole challenge, in milliseconds, from its first frame" }),
    blinkClosedRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.6)
      .meta({
        description:
          "Eyes count as shut when their mean openness falls to this fraction of the most open seen in the challenge. Eyes painted shut by the sequence generator measure 0.30–0.35 of open; open eyes of a held photo vary by at most 20 % from frame to frame",
      }),
    blinkOpenRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.85)
      .meta({ description: "Eyes count as open again when their mean openness is back to this fraction of the most open seen" }),
    turnMinOffset: z
      .number()
      .min(0.05)
      .max(1)
      .default(0.25)
      .meta({
        description:
          "Smallest change of the nose offset (nose tip from the middle of the face outline, in half face widths; about 1.3·tan(yaw), so 0.25 ≈ 11°) from the first frame that counts as a turn. Generated turns of the fixtures measure 0.35–0.46 at their peak (0.26–0.32 half-way), a held photo's jitter at most 0.02",
      }),
    maxFaceLostFrames: z
      .number()
      .int()
      .min(0)
      .max(30)
      .default(2)
      .meta({ description: "Consecutive frames without a face tolerated (motion blur); one more fails the challenge with no-face" }),
    minEmbeddingSimilarity: z
      .number()
      .min(-1)
      .max(1)
      .default(0.92)
      .meta({
        description:
          "Lowest cosine similarity of every embedded frame to the challenge's first embedded frame, below which the face counts as swapped. For the default face-api model on London photos: the same face painted or jittered 0.946–1.0, turned by the sequence generator 0.925–0.98, neutral against smiling 0.957–0.998; different people 0.71–0.93 (3.8 % at or above 0.90). Model-specific: re-measure when changing face.model",
      }),
    minEmbeddedFrames: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(2)
      .meta({ description: "Embedded frames the challenge needs before it can pass (the face must be identified at least this often to be followed)" }),
    bystanderMinSizeRatio: z
      .number()
      .min(0)
      .max(1)
      .default(0.4)
      .meta({ description: "Another face at least this fraction of the applicant's size fails the challenge with multiple-faces" }),
  }).prefault({}),
});

/** The validated `face.liveness` settings. */
export type LivenessConfig = z.output<typeof livenessConfigSchema>;
