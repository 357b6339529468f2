/**
 * The foreign permanent-resident ID card, 2023 version (card-type letter
 * `Y`, issued since 2023-12-01), spec §6.5. Its layout mirrors the resident
 * card so that legacy software reads sensible values at 0/30/36/122/188/204.
 */
import { FOREIGN_2023_FIELDS } from "./constants.ts";
import { checkTextLength, readDateField, readRawField, readSexField, readTextField, trimPadding, type CardTextFailure, type Sex } from "./text-field.ts";

/** Text of a 2023 foreign permanent-resident card. */
export interface ForeignPermanentCard2023 {
  readonly cardType: "foreign-permanent-2023";
  /** Chinese name. */
  readonly name: string;
  /** English name, characters 1–35 and 36–46 joined. */
  readonly nameEn: string;
  readonly sex: Sex;
  /** 换证次数, two digits as on the card. */
  readonly renewalCount: string;
  readonly birthDate: string;
  /** 18-digit number starting with 9. */
  readonly idNumber: string;
  readonly validFrom: string;
  readonly validUntil: string;
  /** 所属国家和地区代码, three characters (alpha code per the vectors; spec §6.5 marks it unverified). */
  readonly nationality: string;
  /** 既往版本永居证号码关联项, three characters; empty on a first issue. */
  readonly previousNumberLink: string;
}

/** Result of {@linkcode parseForeignCard2023}. */
export type ForeignCard2023Result = { readonly ok: true; readonly card: ForeignPermanentCard2023 } | CardTextFailure;

/** Parses the 256-byte text of a `Y` card. */
export function parseForeignCard2023(text: Uint8Array): ForeignCard2023Result {
  const lengthError = checkTextLength(text);
  if (lengthError) return lengthError;
  const f = FOREIGN_2023_FIELDS;
  const sex = readSexField(text, f.sex);
  if (!sex.ok) return sex;
  const birthDate = readDateField(text, f.birthDate, "birthDate");
  if (!birthDate.ok) return birthDate;
  const validFrom = readDateField(text, f.validFrom, "validFrom");
  if (!validFrom.ok) return validFrom;
  const validUntil = readDateField(text, f.validUntil, "validUntil", true);
  if (!validUntil.ok) return validUntil;
  return {
    ok: true,
    card: {
      cardType: "foreign-permanent-2023",
      name: readTextField(text, f.name),
      // Joined before trimming: a name filling all 35 characters of the
      // first part continues at 220 without a separator (spec §6.5).
      nameEn: trimPadding(readRawField(text, f.nameEn) + readRawField(text, f.nameEnContinued)),
      sex: sex.value,
      renewalCount: readTextField(text, f.renewalCount),
      birthDate: birthDate.value,
      idNumber: readTextField(text, f.idNumber),
      validFrom: validFrom.value,
      validUntil: validUntil.value,
      nationality: readTextField(text, f.nationality),
      previousNumberLink: readTextField(text, f.previousNumberLink),
    },
  };
}
