/**
 * The demo mode's control API: what lets a person play the applicant with a
 * simulated reader and a replayed camera. The edge server serves it under
 * `/demo/` (demo mode only); the reader simulator serves the reader half of it
 * on its control socket (`./kiosk idcard simulate --control PATH`).
 *
 * | edge route | simulator socket route | what |
 * |---|---|---|
 * | `GET /demo/cards` | `GET /cards` | the simulated cards, `DemoCard[]` |
 * | `POST /demo/card` `{"id"}` | `PUT /card` `{"id"}` | places a card (204); 404 `not-found` for an unknown id |
 * | `DELETE /demo/card` | `DELETE /card` | takes the card off the reader (204) |
 * | `POST /demo/card/lift-during-read` | `POST /card/lift-during-read` | the card read next (on the reader now, or placed next) is pulled away during its read: that read fails (204) |
 * | `POST /demo/reader` `{"connected"}` | `PUT /reader` `{"connected"}` | unplugs or replugs the reader (204) |
 * | (none) | `GET /status` | a {@linkcode DemoReaderStatus} |
 * | `POST /demo/camera` `{"show"}` | (none) | what the replayed camera sees (204) |
 * | `GET /demo/` | (none) | the demo page |
 *
 * A malformed body gets 400 `bad-request`.
 */
import { z } from "zod";
import { KioskError } from "./errors.ts";

/** Card types a simulated card can have (as on the chip). */
export const DEMO_CARD_TYPES = ["resident", "hmt-residence", "foreign-permanent-2017", "foreign-permanent-2023"] as const;

/** One simulated card: `id` is its file's stem, `label` says whose card it is and what is special about it. */
export const demoCardSchema = z.object({
  id: z.string().min(1),
  cardType: z.enum(DEMO_CARD_TYPES),
  label: z.string(),
});

/** A simulated card. */
export type DemoCard = z.infer<typeof demoCardSchema>;

/** The answer of `GET /demo/cards`. */
export const demoCardListSchema = z.array(demoCardSchema);

/** Body of `POST /demo/card`: the id of the card to place. */
export const demoPlaceCardSchema = z.strictObject({ id: z.string().min(1).max(128) });

/** Body of `POST /demo/reader`: plug the reader in (`true`) or pull it out (`false`). */
export const demoReaderSchema = z.strictObject({ connected: z.boolean() });

/** What the replayed camera can see. */
export const DEMO_CAMERA_SHOWS = ["holder", "other", "nobody", "printed-photo"] as const;

/** One of {@linkcode DEMO_CAMERA_SHOWS}. */
export type DemoCameraShow = (typeof DEMO_CAMERA_SHOWS)[number];

/** Body of `POST /demo/camera`. */
export const demoCameraSchema = z.strictObject({ show: z.enum(DEMO_CAMERA_SHOWS) });

/** The simulated reader's state: the card on it (`null` when none) and whether it is plugged in. */
export const demoReaderStatusSchema = z.object({ cardId: z.string().nullable(), connected: z.boolean() });

/** A {@linkcode demoReaderStatusSchema} value. */
export type DemoReaderStatus = z.infer<typeof demoReaderStatusSchema>;

/**
 * Checks a demo request body against its schema.
 *
 * @throws {KioskError} `bad-request` naming the first field that does not fit.
 */
export function parseDemoBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : "body";
  throw new KioskError("bad-request", `Invalid demo request at "${where}": ${issue?.message ?? "does not match the schema"}`);
}
