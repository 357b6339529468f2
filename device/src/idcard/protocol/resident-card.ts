/**
 * The resident ID card (居民身份证) text layout, GA/T 490 (spec §6.1).
 */
import { RESIDENT_FIELDS } from "./constants.ts";
import { lookupEthnicity } from "./ethnicity.ts";
import { checkTextLength, readDateField, readSexField, readTextField, type CardTextFailure, type Sex } from "./text-field.ts";

/** Text of a resident ID card. Strings are trimmed of padding and otherwise as on the card. */
export interface ResidentCard {
  readonly cardType: "resident";
  readonly name: string;
  readonly sex: Sex;
  /** Two-digit GB 3304 code as on the card, kept even when unknown. */
  readonly ethnicityCode: string;
  /** Name from the GB 3304 table (e.g. `汉`); absent when the code is not in it. */
  readonly ethnicity?: string;
  /** ISO `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly address: string;
  readonly idNumber: string;
  readonly issuer: string;
  /** ISO `YYYY-MM-DD`. */
  readonly validFrom: string;
  /** ISO `YYYY-MM-DD`, or `long-term` for `长期`. */
  readonly validUntil: string;
}

/** The fields shared by resident cards and HK/Macau/Taiwan residence permits (offsets 0–219). */
export type ResidentLayoutFields = Omit<ResidentCard, "cardType" | "ethnicityCode" | "ethnicity">;

/** Result of {@linkcode parseResidentCard}. */
export type ResidentCardResult = { readonly ok: true; readonly card: ResidentCard } | CardTextFailure;

/**
 * Reads offsets 0–219 of the resident layout, without the nation field
 * (also used by the `J` residence permit, spec §6.3).
 */
export function readResidentLayout(text: Uint8Array): { readonly ok: true; readonly fields: ResidentLayoutFields } | CardTextFailure {
  const lengthError = checkTextLength(text);
  if (lengthError) return lengthError;
  const sex = readSexField(text, RESIDENT_FIELDS.sex);
  if (!sex.ok) return sex;
  const birthDate = readDateField(text, RESIDENT_FIELDS.birthDate, "birthDate");
  if (!birthDate.ok) return birthDate;
  const validFrom = readDateField(text, RESIDENT_FIELDS.validFrom, "validFrom");
  if (!validFrom.ok) return validFrom;
  const validUntil = readDateField(text, RESIDENT_FIELDS.validUntil, "validUntil", true);
  if (!validUntil.ok) return validUntil;
  return {
    ok: true,
    fields: {
      name: readTextField(text, RESIDENT_FIELDS.name),
      sex: sex.value,
      birthDate: birthDate.value,
      address: readTextField(text, RESIDENT_FIELDS.address),
      idNumber: readTextField(text, RESIDENT_FIELDS.idNumber),
      issuer: readTextField(text, RESIDENT_FIELDS.issuer),
      validFrom: validFrom.value,
      validUntil: validUntil.value,
    },
  };
}

/**
 * Parses the 256-byte text of a resident ID card.
 *
 * @returns the card, or a failure (`bad-text-length`, `bad-date`, `unknown-sex`).
 */
export function parseResidentCard(text: Uint8Array): ResidentCardResult {
  const layout = readResidentLayout(text);
  if (!layout.ok) return layout;
  const ethnicityCode = readTextField(text, RESIDENT_FIELDS.ethnicity);
  const ethnicity = lookupEthnicity(ethnicityCode);
  const { name, sex, birthDate, address, idNumber, issuer, validFrom, validUntil } = layout.fields;
  const card: ResidentCard = {
    cardType: "resident",
    name,
    sex,
    ethnicityCode,
    ...(ethnicity ? { ethnicity: ethnicity.name } : {}),
    birthDate,
    address,
    idNumber,
    issuer,
    validFrom,
    validUntil,
  };
  return { ok: true, card };
}
