/**
 * The inverse of the card-text parsers: builds the 256-byte UCS-2LE text
 * section of a card (spec §6) from its typed fields. The reader simulator
 * uses it to answer `30 01` / `30 10`; a real reader never needs it.
 *
 * `parseCardText(encodeCardText(card))` gives `card` back for every card the
 * encoder accepts. To keep that promise the encoder refuses values the
 * parsers could not return unchanged: text longer than its field, characters
 * outside UCS-2 (surrogates), and values starting or ending with a padding
 * character (the parsers trim U+0020, U+0000 and U+3000, spec §6, §9).
 */
import { compactDateToIso } from "@kiosk/contracts";
import type { CardText } from "./card-text.ts";
import {
  BYTE_BITS,
  BYTE_MAX,
  CARD_TYPE_LETTERS,
  CARD_TYPE_OFFSET,
  FOREIGN_2017_FIELDS,
  FOREIGN_2023_FIELDS,
  HMT_EXTRA_FIELDS,
  LONG_TERM_TEXT,
  RESIDENT_FIELDS,
  SEX_CODES,
  TEXT_BYTES,
  UCS2_BYTES,
  type TextField,
} from "./constants.ts";
import { LONG_TERM, type Sex } from "./text-field.ts";

// Text fields are padded with U+0020, never NUL (spec §6, every capture).
const PAD_CODE_UNIT = 0x0020;
// The characters the parsers trim (text-field.ts `trimPadding`).
const EDGE_PADDING = /^[\u0020\u0000\u3000]|[\u0020\u0000\u3000]$/;
// UCS-2 has no surrogate pairs: one character is one 16-bit unit (spec §6).
const SURROGATE = /[\uD800-\uDFFF]/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CARD_TYPE_FIELD: TextField = { offset: CARD_TYPE_OFFSET, bytes: UCS2_BYTES };
// Characters of the 2023 English name held at offset 52; the rest goes to 220 (spec §6.5).
const NAME_EN_FIRST_PART_CHARS = FOREIGN_2023_FIELDS.nameEn.bytes / UCS2_BYTES;

const SEX_TO_CODE: Readonly<Record<Sex, string>> = Object.fromEntries(
  Object.entries(SEX_CODES).map(([code, sex]) => [sex, code]),
) as Record<Sex, string>;

/**
 * Builds the 256-byte text section of `card`, space padded, with the
 * card-type letter at byte 248 for `J`, `I` and `Y` cards (spec §6.2).
 * Derived fields (the resident card's `ethnicity` name) are ignored: the
 * card carries only the code.
 *
 * @throws {RangeError} when a value does not fit its field, is not UCS-2,
 *   starts or ends with a padding character, or a date is not ISO
 *   `YYYY-MM-DD` (or `long-term` for `validUntil`). Messages name the field,
 *   never its content.
 * @example
 * ```ts
 * const text = encodeCardText({ cardType: "resident", name: "测试甲", sex: "male", ethnicityCode: "01", … });
 * parseCardText(text); // { ok: true, card: { cardType: "resident", name: "测试甲", … } }
 * ```
 */
export function encodeCardText(card: CardText): Uint8Array {
  const text = new Uint8Array(TEXT_BYTES);
  for (let i = 0; i < TEXT_BYTES; i += UCS2_BYTES) text[i] = PAD_CODE_UNIT;
  switch (card.cardType) {
    case "resident": {
      const f = RESIDENT_FIELDS;
      writeResidentLayout(text, card);
      writeField(text, f.ethnicity, card.ethnicityCode, "ethnicityCode");
      break;
    }
    case "hmt-residence":
      // Offsets 0–219 as the resident card; the nation field stays blank (spec §6.3).
      writeResidentLayout(text, card);
      writeField(text, HMT_EXTRA_FIELDS.passNumber, card.passNumber, "passNumber");
      writeField(text, HMT_EXTRA_FIELDS.issueCount, card.issueCount, "issueCount");
      writeField(text, CARD_TYPE_FIELD, CARD_TYPE_LETTERS.hmtResidence, "cardType");
      break;
    case "foreign-permanent-2017": {
      const f = FOREIGN_2017_FIELDS;
      writeField(text, f.nameEn, card.nameEn, "nameEn");
      writeField(text, f.sex, sexCode(card.sex), "sex");
      writeField(text, f.idNumber, card.idNumber, "idNumber");
      writeField(text, f.nationality, card.nationality, "nationality");
      writeField(text, f.name, card.name, "name");
      writeField(text, f.validFrom, compactDate(card.validFrom, "validFrom"), "validFrom");
      writeField(text, f.validUntil, compactDate(card.validUntil, "validUntil", true), "validUntil");
      writeField(text, f.birthDate, compactDate(card.birthDate, "birthDate"), "birthDate");
      writeField(text, f.cardVersion, card.cardVersion, "cardVersion");
      writeField(text, f.authorityCode, card.authorityCode, "authorityCode");
      writeField(text, CARD_TYPE_FIELD, CARD_TYPE_LETTERS.foreignPermanent2017, "cardType");
      break;
    }
    case "foreign-permanent-2023": {
      const f = FOREIGN_2023_FIELDS;
      writeField(text, f.name, card.name, "name");
      writeField(text, f.sex, sexCode(card.sex), "sex");
      writeField(text, f.renewalCount, card.renewalCount, "renewalCount");
      writeField(text, f.birthDate, compactDate(card.birthDate, "birthDate"), "birthDate");
      // The English name is split: characters 1–35 at 52, 36–46 at 220 (spec §6.5).
      checkValue(card.nameEn, "nameEn", f.nameEn.bytes + f.nameEnContinued.bytes);
      writeField(text, f.nameEn, card.nameEn.slice(0, NAME_EN_FIRST_PART_CHARS), "nameEn", false);
      writeField(text, f.nameEnContinued, card.nameEn.slice(NAME_EN_FIRST_PART_CHARS), "nameEn", false);
      writeField(text, f.idNumber, card.idNumber, "idNumber");
      writeField(text, f.validFrom, compactDate(card.validFrom, "validFrom"), "validFrom");
      writeField(text, f.validUntil, compactDate(card.validUntil, "validUntil", true), "validUntil");
      writeField(text, f.nationality, card.nationality, "nationality");
      writeField(text, f.previousNumberLink, card.previousNumberLink, "previousNumberLink");
      writeField(text, CARD_TYPE_FIELD, CARD_TYPE_LETTERS.foreignPermanent2023, "cardType");
      break;
    }
  }
  return text;
}

type ResidentLayoutCard = Extract<CardText, { cardType: "resident" | "hmt-residence" }>;

// Offsets 0–219 shared by resident cards and J permits (spec §6.1, §6.3).
function writeResidentLayout(text: Uint8Array, card: ResidentLayoutCard): void {
  const f = RESIDENT_FIELDS;
  writeField(text, f.name, card.name, "name");
  writeField(text, f.sex, sexCode(card.sex), "sex");
  writeField(text, f.birthDate, compactDate(card.birthDate, "birthDate"), "birthDate");
  writeField(text, f.address, card.address, "address");
  writeField(text, f.idNumber, card.idNumber, "idNumber");
  writeField(text, f.issuer, card.issuer, "issuer");
  writeField(text, f.validFrom, compactDate(card.validFrom, "validFrom"), "validFrom");
  writeField(text, f.validUntil, compactDate(card.validUntil, "validUntil", true), "validUntil");
}

function sexCode(sex: Sex): string {
  const code = SEX_TO_CODE[sex];
  if (code === undefined) throw new RangeError(`Invalid sex "${String(sex)}": expected "male" or "female"`);
  return code;
}

// ISO `YYYY-MM-DD` → `YYYYMMDD`; `long-term` → `长期` where allowed (spec §6.1).
function compactDate(iso: string, name: string, allowLongTerm = false): string {
  if (allowLongTerm && iso === LONG_TERM) return LONG_TERM_TEXT;
  const match = ISO_DATE.exec(iso);
  const compact = match ? `${match[1]}${match[2]}${match[3]}` : "";
  if (compactDateToIso(compact) !== iso) {
    throw new RangeError(`Invalid field "${name}": expected an ISO date YYYY-MM-DD${allowLongTerm ? ` or "${LONG_TERM}"` : ""}`);
  }
  return compact;
}

function checkValue(value: string, name: string, maxBytes: number): void {
  if (value.length * UCS2_BYTES > maxBytes) {
    throw new RangeError(`Field "${name}" is too long: ${value.length} characters, at most ${maxBytes / UCS2_BYTES}`);
  }
  if (SURROGATE.test(value)) throw new RangeError(`Field "${name}" holds a character outside UCS-2: the card text cannot carry it`);
  if (EDGE_PADDING.test(value)) throw new RangeError(`Field "${name}" starts or ends with a space or padding character: the card cannot keep it`);
}

function writeField(text: Uint8Array, field: TextField, value: string, name: string, check = true): void {
  if (check) checkValue(value, name, field.bytes);
  writeUcs2(text, field.offset, value);
}

// UCS-2 little-endian (spec §6).
function writeUcs2(out: Uint8Array, offset: number, value: string): void {
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    out[offset + i * UCS2_BYTES] = unit & BYTE_MAX;
    out[offset + i * UCS2_BYTES + 1] = unit >> BYTE_BITS;
  }
}

/**
 * Encodes one free-standing UCS-2LE text field of `bytes` bytes, space
 * padded, such as the 70-byte appended address of a `30 03` reply (spec §5.3).
 *
 * @param name field name for error messages.
 * @throws {RangeError} as {@linkcode encodeCardText} for a value that does not fit or is not UCS-2.
 */
export function encodeUcs2Field(value: string, bytes: number, name: string): Uint8Array {
  if (!Number.isInteger(bytes) || bytes < 0 || bytes % UCS2_BYTES !== 0) {
    throw new RangeError(`Invalid field size "${bytes}": expected an even number of bytes`);
  }
  checkValue(value, name, bytes);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += UCS2_BYTES) out[i] = PAD_CODE_UNIT;
  writeUcs2(out, 0, value);
  return out;
}
