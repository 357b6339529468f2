/**
 * 2004/2017 foreign permanent-resident ID numbers, spec §7.3:
 * `LLL PPCC YYMMDD S C` — 3-letter nationality (ISO 3166-1 alpha-3), 4-digit
 * accepting-office code, birth date YYMMDD, 1 sequence digit, 1 check digit.
 *
 * The check-digit algorithm (7-3-1 weights mod 10) comes from a single
 * unverified source (spec §7.3, §13 item 8), so this parser validates the
 * structure only and does NOT verify the check digit.
 */
import { isCalendarDate } from "./compact-date.ts";
import { idNumberFailure, type IdNumberFailure } from "./id-number-failure.ts";
import { isMainlandProvinceCode } from "./province-codes.ts";

/** Length of a 2017 foreign permanent-resident number: 3 letters + 12 digits. */
export const FOREIGN_PERMANENT_ID_2017_LENGTH = 15;

const NATIONALITY_END = 3;
const PROVINCE_END = 5;
const OFFICE_END = 7;
const BIRTH_END = 13;
const SEQUENCE_END = 14;
// A year in which 29 February exists, so that a YYMMDD date without its
// century is accepted whenever some century makes it valid.
const ANY_LEAP_YEAR = 2000;
// Offsets inside the YYMMDD birth date.
const MONTH_START = 2;
const DAY_START = 4;
const YYMMDD_LENGTH = 6;

/** A structurally valid 2017 foreign permanent-resident number. */
export interface ForeignPermanentId2017 {
  readonly ok: true;
  readonly idNumber: string;
  /** ISO 3166-1 alpha-3 nationality, e.g. `CAN`. */
  readonly nationality: string;
  /** Four-digit code of the accepting office; its first two digits are a province code. */
  readonly officeCode: string;
  /** Birth date as it appears in the number, `YYMMDD` (the century is not encoded). */
  readonly birthDateYymmdd: string;
  readonly sequence: string;
  /** The check digit, NOT verified (algorithm unverified, spec §13). */
  readonly checkChar: string;
}

/** Result of {@linkcode parseForeignPermanentId2017}. */
export type ForeignPermanentId2017Result = ForeignPermanentId2017 | IdNumberFailure;

/**
 * Validates the structure of a 2017 foreign permanent-resident number:
 * length, 3 upper-case letters then 12 digits, a mainland province in the
 * office code and a possible month/day in the birth date. The check digit is
 * returned but not verified, because the algorithm is unverified.
 *
 * @example
 * ```ts
 * parseForeignPermanentId2017("CAN110080101000"); // { ok: true, nationality: "CAN", officeCode: "1100", birthDateYymmdd: "800101", ... }
 * ```
 */
export function parseForeignPermanentId2017(value: string): ForeignPermanentId2017Result {
  if (value.length !== FOREIGN_PERMANENT_ID_2017_LENGTH) {
    return idNumberFailure("bad-length", `Invalid 2017 foreign permanent-resident number length "${value.length}": expected ${FOREIGN_PERMANENT_ID_2017_LENGTH} characters`);
  }
  if (!/^[A-Z]{3}\d{12}$/.test(value)) {
    return idNumberFailure("bad-charset", "Invalid 2017 foreign permanent-resident number: expected 3 upper-case letters then 12 digits");
  }
  const officeCode = value.slice(NATIONALITY_END, OFFICE_END);
  const provinceCode = value.slice(NATIONALITY_END, PROVINCE_END);
  if (!isMainlandProvinceCode(provinceCode)) {
    return idNumberFailure("bad-region", `Invalid 2017 foreign permanent-resident number: province code "${provinceCode}" is not a mainland province`);
  }
  const birthDateYymmdd = value.slice(OFFICE_END, BIRTH_END);
  if (!isCalendarDate(ANY_LEAP_YEAR, Number(birthDateYymmdd.slice(MONTH_START, DAY_START)), Number(birthDateYymmdd.slice(DAY_START, YYMMDD_LENGTH)))) {
    return idNumberFailure("bad-birth-date", "Invalid 2017 foreign permanent-resident number birth date: characters 8–13 are not a YYMMDD date");
  }
  return {
    ok: true,
    idNumber: value,
    nationality: value.slice(0, NATIONALITY_END),
    officeCode,
    birthDateYymmdd,
    sequence: value.slice(BIRTH_END, SEQUENCE_END),
    checkChar: value.slice(SEQUENCE_END),
  };
}
