/**
 * A read card as the session takes it: the card's fields for the result,
 * the chip photo decoded to RGB (for the face capture only), and every
 * reason to refuse the card (`checkCard`, an undecodable photo, the
 * blocklist). Nothing here is logged.
 */
import { checkCard, type CardReadEvent, type CardText } from "@kiosk/device";
import { cardRejections } from "../domain/verification-session-card-checks.ts";
import type { SessionCard } from "../domain/verification-session-types.ts";
import type { CardRejection } from "@kiosk/contracts";
import type { RgbImage } from "../ports.ts";
import type { SessionPhotoDecoder, SessionSyncDown } from "./verification-session-ports.ts";

/** What the session learns from one read. */
export interface ExaminedCard {
  readonly card: SessionCard;
  readonly rejections: readonly CardRejection[];
  /** The decoded chip photo; undefined when it could not be decoded (then `rejections` says so). */
  readonly photo: RgbImage | undefined;
}

/** What {@linkcode examineCard} needs. */
export interface CardExamination {
  readonly photos: SessionPhotoDecoder;
  readonly syncDown: Pick<SessionSyncDown, "blocklistEntry">;
  readonly minAgeYears: number;
  /** Kiosk clock, epoch ms: the day the card's validity is checked on. */
  readonly nowMs: number;
}

/** The card fields a session keeps (the result contract's `card`). */
export function sessionCard(card: CardText): SessionCard {
  const nameEn = "nameEn" in card && card.nameEn !== "" ? card.nameEn : undefined;
  const nationality = "nationality" in card && card.nationality !== "" ? card.nationality : undefined;
  return {
    cardType: card.cardType,
    idNumber: card.idNumber,
    // A foreign permanent resident card may carry no Chinese name: its English name stands in.
    name: card.name !== "" ? card.name : (nameEn ?? card.idNumber),
    ...(nameEn === undefined ? {} : { nameEn }),
    sex: card.sex,
    birthDate: card.birthDate,
    validUntil: card.validUntil as SessionCard["validUntil"],
    ...(nationality === undefined ? {} : { nationality }),
  };
}

/**
 * Decodes the photo, runs the card checks and looks the card up in the
 * blocklist.
 *
 * @throws what the blocklist lookup throws (the store failed).
 */
export async function examineCard(read: CardReadEvent, deps: CardExamination): Promise<ExaminedCard> {
  const text = read.identity.card;
  let photo: RgbImage | undefined;
  try {
    const decoded = await deps.photos.decode(read.photo);
    if (decoded.ok) photo = { width: decoded.photo.width, height: decoded.photo.height, data: decoded.photo.rgb };
  } catch {
    // A decoder that cannot run (no vendor library) leaves the photo undecoded: the applicant goes to a staff window.
    photo = undefined;
  }
  const problems = checkCard(text, { today: new Date(deps.nowMs), minAgeYears: deps.minAgeYears });
  const blocklist = await deps.syncDown.blocklistEntry(text.idNumber);
  return { card: sessionCard(text), rejections: cardRejections({ problems, blocklist, photoDecoded: photo !== undefined }), photo };
}
