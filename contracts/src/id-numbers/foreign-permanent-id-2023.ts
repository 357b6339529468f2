/**
 * 2023 foreign permanent-resident ID numbers (外国人永久居留身份证, issued
 * since 2023-12-01), spec §7.3: `9 PP NNN YYYYMMDD SSS C` — the foreigner
 * marker `9`, the province of the accepting office, the ISO 3166-1 numeric
 * country code, the birth date, a sequence (17th digit odd = male) and the
 * same MOD 11-2 check character as GB 11643.
 */
import { compactDateToIso } from "./compact-date.ts";
import { isPlausibleBirthDate, mod11_2CheckChar, sexFromSequence, type IdNumberOptions, type IdSex } from "./gb11643.ts";
import { idNumberFailure, type IdNumberFailure } from "./id-number-failure.ts";
import { isMainlandProvinceCode } from "./province-codes.ts";

/** Length of a 2023 foreign permanent-resident number. */
export const FOREIGN_PERMANENT_ID_2023_LENGTH = 18;
/** Leading digit that marks a foreigner's number (spec §7.3). */
export const FOREIGN_PERMANENT_ID_2023_MARKER = "9";

const PROVINCE_START = 1;
const PROVINCE_END = 3;
const COUNTRY_END = 6;
const BIRTH_END = 14;
const SEQUENCE_END = 17;

/** A valid 2023 foreign permanent-resident number split into its parts. */
export interface ForeignPermanentId2023 {
  readonly ok: true;
  readonly idNumber: string;
  /** Two-digit mainland province code of the accepting office. */
  readonly provinceCode: string;
  /** Three-digit ISO 3166-1 numeric country code (e.g. `124` Canada). */
  readonly countryCode: string;
  /** Birth date as ISO `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly sequence: string;
  /** From the parity of the 17th digit: odd = male, even = female. */
  readonly sex: IdSex;
  readonly checkChar: string;
}

/** Result of {@linkcode parseForeignPermanentId2023}. */
export type ForeignPermanentId2023Result = ForeignPermanentId2023 | IdNumberFailure;

/**
 * Parses and validates a 2023 foreign permanent-resident number.
 *
 * @param value the 18-digit number, e.g. the official sample `911124198108030024`.
 * @param options `today` to reject birth dates in the future.
 */
export function parseForeignPermanentId2023(value: string, options: IdNumberOptions = {}): ForeignPermanentId2023Result {
  if (value.length !== FOREIGN_PERMANENT_ID_2023_LENGTH) {
    return idNumberFailure("bad-length", `Invalid foreign permanent-resident number length "${value.length}": expected ${FOREIGN_PERMANENT_ID_2023_LENGTH} digits`);
  }
  // Unlike GB 11643, the check character of issued 2023 numbers is never "X"
  // in the official samples, but the algorithm allows it, so accept it.
  const idNumber = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return idNumberFailure("bad-charset", "Invalid foreign permanent-resident number: expected 17 digits then a digit or \"X\"");
  }
  if (!idNumber.startsWith(FOREIGN_PERMANENT_ID_2023_MARKER)) {
    return idNumberFailure("bad-prefix", `Invalid foreign permanent-resident number: expected first digit "${FOREIGN_PERMANENT_ID_2023_MARKER}"`);
  }
  const provinceCode = idNumber.slice(PROVINCE_START, PROVINCE_END);
  if (!isMainlandProvinceCode(provinceCode)) {
    return idNumberFailure("bad-region", `Invalid foreign permanent-resident number: province code "${provinceCode}" is not a mainland province`);
  }
  const birthDate = compactDateToIso(idNumber.slice(COUNTRY_END, BIRTH_END));
  if (birthDate === undefined || !isPlausibleBirthDate(birthDate, options.today)) {
    return idNumberFailure("bad-birth-date", "Invalid foreign permanent-resident number birth date: digits 7–14 are not a plausible date");
  }
  const checkChar = idNumber.slice(SEQUENCE_END);
  if (mod11_2CheckChar(idNumber.slice(0, SEQUENCE_END)) !== checkChar) {
    return idNumberFailure("bad-check-digit", "Invalid foreign permanent-resident number: the check character does not match");
  }
  const sequence = idNumber.slice(BIRTH_END, SEQUENCE_END);
  return {
    ok: true,
    idNumber,
    provinceCode,
    countryCode: idNumber.slice(PROVINCE_END, COUNTRY_END),
    birthDate,
    sequence,
    sex: sexFromSequence(sequence),
    checkChar,
  };
}
