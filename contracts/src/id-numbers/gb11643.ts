/**
 * 公民身份号码 — GB 11643-1999 citizen identity numbers (spec §7.1, §7.2).
 *
 * Layout of the 18-character number: `AAAAAA YYYYMMDD SSS C` — address code,
 * birth date, sequence (17th digit odd = male), ISO 7064 MOD 11-2 check
 * character. Residence permits for Hong Kong, Macau and Taiwan residents use
 * the address codes 810000, 820000 and 830000 (spec §6.3).
 */
import { compactDateToIso } from "./compact-date.ts";
import { idNumberFailure, type IdNumberFailure } from "./id-number-failure.ts";
import { isProvinceCode } from "./province-codes.ts";

/** Length of a current (second-generation) identity number. */
export const GB11643_LENGTH = 18;
/** Length of a legacy first-generation identity number (spec §7.2). */
export const GB11643_LEGACY_LENGTH = 15;

// ISO 7064 MOD 11-2 weights 2^(17-i) mod 11 for positions 1..17 (spec §7.1).
const MOD11_2_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
// Check character indexed by (weighted sum mod 11); "X" stands for 10 (spec §7.1).
const MOD11_2_CHECK_CHARS = "10X98765432";
const MOD11 = 11;
// Legacy numbers carry a two-digit year of the 1900s (spec §7.2).
const LEGACY_CENTURY = "19";
// Taiwan residents' residence permits use 830000, which is not a GB/T 2260 code (spec §6.3).
const TAIWAN_PERMIT_REGION = "830000";
/** Birth years before this are rejected as implausible. */
export const MIN_BIRTH_YEAR = 1850;

const REGION_END = 6;
const PROVINCE_END = 2;
const BIRTH_END = 14;
const SEQUENCE_END = 17;
const LEGACY_BIRTH_END = 12;

/** Sex as encoded by the parity of the sequence number. */
export type IdSex = "male" | "female";

/** A valid GB 11643 number split into its parts. */
export interface Gb11643Id {
  readonly ok: true;
  /** The number, with a lower-case `x` check character upper-cased. */
  readonly idNumber: string;
  /** Six-digit address code (GB/T 2260, or 810000/820000/830000 for residence permits). */
  readonly regionCode: string;
  /** First two digits of the address code. */
  readonly provinceCode: string;
  /** Birth date as ISO `YYYY-MM-DD`. */
  readonly birthDate: string;
  /** Three-digit sequence number. */
  readonly sequence: string;
  /** From the parity of the 17th digit: odd = male, even = female. */
  readonly sex: IdSex;
  /** The check character, `0`–`9` or `X`. */
  readonly checkChar: string;
}

/** Result of {@linkcode parseGb11643Id}. */
export type Gb11643Result = Gb11643Id | IdNumberFailure;

/** Options of the identity-number parsers. */
export interface IdNumberOptions {
  /** ISO `YYYY-MM-DD`; when given, birth dates after it are rejected. */
  readonly today?: string;
}

/**
 * Computes the ISO 7064 MOD 11-2 check character of 17 digits (GB 11643 and
 * 2023 foreign permanent-resident numbers).
 *
 * @throws {TypeError} when `first17` is not exactly 17 ASCII digits.
 * @example
 * ```ts
 * mod11_2CheckChar("11010519491231002"); // "X"
 * ```
 */
export function mod11_2CheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new TypeError(`Cannot compute a MOD 11-2 check character: expected 17 digits, got ${first17.length} characters`);
  let sum = 0;
  for (let i = 0; i < MOD11_2_WEIGHTS.length; i++) sum += Number(first17[i]) * (MOD11_2_WEIGHTS[i] ?? 0);
  return MOD11_2_CHECK_CHARS[sum % MOD11] ?? "";
}

/**
 * Checks that an ISO birth date is plausible: not before {@linkcode MIN_BIRTH_YEAR}
 * and, when `today` (ISO) is given, not after it.
 */
export function isPlausibleBirthDate(isoDate: string, today: string | undefined): boolean {
  if (Number(isoDate.slice(0, 4)) < MIN_BIRTH_YEAR) return false;
  return today === undefined || isoDate <= today;
}

/**
 * Parses and validates an 18-character GB 11643 identity number: length,
 * charset, region plausibility (known provincial code), birth-date
 * plausibility and the MOD 11-2 check character.
 *
 * @param value the number as read from the card or typed in.
 * @param options `today` to reject birth dates in the future.
 * @returns the parts of the number, or a failure with a reason.
 * @example
 * ```ts
 * const id = parseGb11643Id("11010519491231002X");
 * if (id.ok) id.birthDate; // "1949-12-31"
 * ```
 */
export function parseGb11643Id(value: string, options: IdNumberOptions = {}): Gb11643Result {
  if (value.length !== GB11643_LENGTH) {
    return idNumberFailure("bad-length", `Invalid identity number length "${value.length}": expected ${GB11643_LENGTH} characters`);
  }
  const idNumber = value.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(idNumber)) {
    return idNumberFailure("bad-charset", "Invalid identity number: expected 17 digits then a digit or \"X\"");
  }
  const regionCode = idNumber.slice(0, REGION_END);
  const provinceCode = idNumber.slice(0, PROVINCE_END);
  if (!isProvinceCode(provinceCode) && regionCode !== TAIWAN_PERMIT_REGION) {
    return idNumberFailure("bad-region", `Invalid identity number region: province code "${provinceCode}" is not assigned`);
  }
  const birthDate = compactDateToIso(idNumber.slice(REGION_END, BIRTH_END));
  if (birthDate === undefined || !isPlausibleBirthDate(birthDate, options.today)) {
    return idNumberFailure("bad-birth-date", "Invalid identity number birth date: digits 7–14 are not a plausible date");
  }
  const checkChar = idNumber.slice(SEQUENCE_END);
  if (mod11_2CheckChar(idNumber.slice(0, SEQUENCE_END)) !== checkChar) {
    return idNumberFailure("bad-check-digit", "Invalid identity number: the check character does not match");
  }
  const sequence = idNumber.slice(BIRTH_END, SEQUENCE_END);
  return {
    ok: true,
    idNumber,
    regionCode,
    provinceCode,
    birthDate,
    sequence,
    sex: sexFromSequence(sequence),
    checkChar,
  };
}

/** Sex from the parity of the last digit of a sequence number: odd = male. */
export function sexFromSequence(sequence: string): IdSex {
  return Number(sequence.at(-1)) % 2 === 1 ? "male" : "female";
}

/** Result of {@linkcode upgradeGb11643From15}. */
export type Gb11643UpgradeResult = { readonly ok: true; readonly idNumber: string } | IdNumberFailure;

/**
 * Converts a legacy 15-digit number (`AAAAAA YYMMDD SSS`, year 19YY) to its
 * 18-character form: inserts `19` after the address code and appends the
 * MOD 11-2 check character (spec §7.2).
 *
 * @example
 * ```ts
 * upgradeGb11643From15("110105491231002"); // { ok: true, idNumber: "11010519491231002X" }
 * ```
 */
export function upgradeGb11643From15(value: string): Gb11643UpgradeResult {
  if (value.length !== GB11643_LEGACY_LENGTH) {
    return idNumberFailure("bad-length", `Invalid legacy identity number length "${value.length}": expected ${GB11643_LEGACY_LENGTH} digits`);
  }
  if (!/^\d+$/.test(value)) return idNumberFailure("bad-charset", "Invalid legacy identity number: expected digits only");
  const provinceCode = value.slice(0, PROVINCE_END);
  if (!isProvinceCode(provinceCode)) {
    return idNumberFailure("bad-region", `Invalid legacy identity number region: province code "${provinceCode}" is not assigned`);
  }
  if (compactDateToIso(LEGACY_CENTURY + value.slice(REGION_END, LEGACY_BIRTH_END)) === undefined) {
    return idNumberFailure("bad-birth-date", "Invalid legacy identity number birth date: digits 7–12 are not a date");
  }
  const first17 = value.slice(0, REGION_END) + LEGACY_CENTURY + value.slice(REGION_END);
  return { ok: true, idNumber: first17 + mod11_2CheckChar(first17) };
}
