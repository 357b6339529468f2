/**
 * Parses the 256-byte text section of any supported card, choosing the
 * layout by the card-type letter at byte 248 (spec §6.2).
 */
import { CARD_TYPE_LETTERS, CARD_TYPE_OFFSET, UCS2_BYTES } from "./constants.ts";
import { parseForeignCard2017, type ForeignPermanentCard2017 } from "./foreign-card-2017.ts";
import { parseForeignCard2023, type ForeignPermanentCard2023 } from "./foreign-card-2023.ts";
import { parseHmtResidencePermit, type HmtResidencePermit } from "./hmt-residence-permit.ts";
import { parseResidentCard, type ResidentCard } from "./resident-card.ts";
import { checkTextLength, readRawField, type CardTextFailure } from "./text-field.ts";

/** The text of a card, by card type. */
export type CardText = ResidentCard | HmtResidencePermit | ForeignPermanentCard2017 | ForeignPermanentCard2023;

/** The supported card types. */
export const CARD_TYPES = {
  "resident": "居民身份证 resident ID card",
  "hmt-residence": "港澳台居民居住证 residence permit for HK/Macau/Taiwan residents (J)",
  "foreign-permanent-2017": "外国人永久居留身份证 foreign permanent-resident card, 2017 (I)",
  "foreign-permanent-2023": "外国人永久居留身份证 foreign permanent-resident card, 2023 (Y)",
} as const satisfies Record<CardText["cardType"], string>;

/** Union of the card types. */
export type CardType = keyof typeof CARD_TYPES;

/** Result of {@linkcode parseCardText}. */
export type CardTextResult = { readonly ok: true; readonly card: CardText } | CardTextFailure;

/**
 * The card type named by the letter at byte 248; any other value (space on
 * resident cards) means a resident card (spec §6.2). The text must be at
 * least 250 bytes long.
 */
export function detectCardType(text: Uint8Array): CardType {
  const letter = readRawField(text, { offset: CARD_TYPE_OFFSET, bytes: UCS2_BYTES });
  switch (letter) {
    case CARD_TYPE_LETTERS.hmtResidence:
      return "hmt-residence";
    case CARD_TYPE_LETTERS.foreignPermanent2017:
      return "foreign-permanent-2017";
    case CARD_TYPE_LETTERS.foreignPermanent2023:
      return "foreign-permanent-2023";
    default:
      return "resident";
  }
}

/**
 * Parses a 256-byte UCS-2LE text section into the typed card it describes.
 * Never throws.
 *
 * @example
 * ```ts
 * const result = parseCardText(message.text);
 * if (result.ok && result.card.cardType === "resident") result.card.ethnicity;
 * ```
 */
export function parseCardText(text: Uint8Array): CardTextResult {
  const lengthError = checkTextLength(text);
  if (lengthError) return lengthError;
  switch (detectCardType(text)) {
    case "resident":
      return parseResidentCard(text);
    case "hmt-residence":
      return parseHmtResidencePermit(text);
    case "foreign-permanent-2017":
      return parseForeignCard2017(text);
    case "foreign-permanent-2023":
      return parseForeignCard2023(text);
  }
}
