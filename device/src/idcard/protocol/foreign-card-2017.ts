/**
 * The foreign permanent-resident ID card, 2017 version (外国人永久居留身份证,
 * card-type letter `I`), spec §6.4.
 */
import { FOREIGN_2017_FIELDS } from "./constants.ts";
import { checkTextLength, readDateField, readSexField, readTextField, type CardTextFailure, type Sex } from "./text-field.ts";

/** Text of a 2017 foreign permanent-resident card. */
export interface ForeignPermanentCard2017 {
  readonly cardType: "foreign-permanent-2017";
  /** English name, upper case, e.g. `TESTER, ALPHA`. */
  readonly nameEn: string;
  /** Chinese name; empty when the card has none. */
  readonly name: string;
  readonly sex: Sex;
  /** 15-character permanent-resident number, e.g. `CAN110080101000`. */
  readonly idNumber: string;
  /** ISO 3166-1 alpha-3 nationality. */
  readonly nationality: string;
  /** Issue date, ISO. */
  readonly validFrom: string;
  /** Expiry date, ISO (or `long-term`). */
  readonly validUntil: string;
  readonly birthDate: string;
  /** 证件版本号, two characters, e.g. `17`. */
  readonly cardVersion: string;
  /** 当次申请受理机关代码, four characters, e.g. `1100`. */
  readonly authorityCode: string;
}

/** Result of {@linkcode parseForeignCard2017}. */
export type ForeignCard2017Result = { readonly ok: true; readonly card: ForeignPermanentCard2017 } | CardTextFailure;

/** Parses the 256-byte text of an `I` card. */
export function parseForeignCard2017(text: Uint8Array): ForeignCard2017Result {
  const lengthError = checkTextLength(text);
  if (lengthError) return lengthError;
  const f = FOREIGN_2017_FIELDS;
  const sex = readSexField(text, f.sex);
  if (!sex.ok) return sex;
  const validFrom = readDateField(text, f.validFrom, "validFrom");
  if (!validFrom.ok) return validFrom;
  const validUntil = readDateField(text, f.validUntil, "validUntil", true);
  if (!validUntil.ok) return validUntil;
  const birthDate = readDateField(text, f.birthDate, "birthDate");
  if (!birthDate.ok) return birthDate;
  return {
    ok: true,
    card: {
      cardType: "foreign-permanent-2017",
      nameEn: readTextField(text, f.nameEn),
      name: readTextField(text, f.name),
      sex: sex.value,
      idNumber: readTextField(text, f.idNumber),
      nationality: readTextField(text, f.nationality),
      validFrom: validFrom.value,
      validUntil: validUntil.value,
      birthDate: birthDate.value,
      cardVersion: readTextField(text, f.cardVersion),
      authorityCode: readTextField(text, f.authorityCode),
    },
  };
}
