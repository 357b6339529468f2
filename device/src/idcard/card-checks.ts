/**
 * Checks the kiosk applies to a card it has read: validity period, the
 * identity number's own rules, agreement between the number and the printed
 * birth date and sex, and a minimum age. Pure: the date is injected.
 */
import {
  parseForeignPermanentId2017,
  parseForeignPermanentId2023,
  parseGb11643Id,
  type IdNumberFailureReason,
} from "@kiosk/contracts";
import type { CardText } from "./protocol/card-text.ts";
import { LONG_TERM } from "./protocol/text-field.ts";

/** Every problem {@linkcode checkCard} can report. */
export const CARD_PROBLEM_TYPES = {
  "expired": "the card's validity ended before today",
  "not-yet-valid": "the card's validity starts after today",
  "bad-id-number": "the identity number breaks its rules (length, charset, region, birth date or check digit)",
  "birth-date-mismatch": "the birth date inside the identity number differs from the printed one",
  "sex-mismatch": "the sex encoded in the identity number differs from the printed one",
  "under-age": "the holder is younger than the minimum age",
} as const;

/** Union of the keys of {@linkcode CARD_PROBLEM_TYPES}. */
export type CardProblemType = keyof typeof CARD_PROBLEM_TYPES;

/** One problem found on a card. Messages never quote names, numbers or birth dates. */
export type CardProblem =
  | { readonly type: "expired"; readonly validUntil: string; readonly message: string }
  | { readonly type: "not-yet-valid"; readonly validFrom: string; readonly message: string }
  | { readonly type: "bad-id-number"; readonly reason: IdNumberFailureReason; readonly message: string }
  | { readonly type: "birth-date-mismatch"; readonly message: string }
  | { readonly type: "sex-mismatch"; readonly message: string }
  | { readonly type: "under-age"; readonly ageYears: number; readonly minAgeYears: number; readonly message: string };

/** Options of {@linkcode checkCard}. */
export interface CardCheckOptions {
  /** Today, as ISO `YYYY-MM-DD` or a `Date` (read in the zone given by `utcOffsetMinutes`). */
  readonly today: string | Date;
  /** Minimum age in whole years; 0 disables the check. */
  readonly minAgeYears: number;
  /**
   * Offset of the kiosk's civil time from UTC, used only when `today` is a
   * `Date`. Default +480 (China Standard Time, no daylight saving): cards
   * expire by the date in China, not in UTC.
   */
  readonly utcOffsetMinutes?: number;
}

/** Default offset of {@linkcode CardCheckOptions.utcOffsetMinutes}: UTC+8. */
export const CHINA_UTC_OFFSET_MINUTES = 480;
const MS_PER_MINUTE = 60_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_LENGTH = "YYYY-MM-DD".length;
// Where the YYMMDD birth date sits inside the 8-digit printed date.
const CENTURY_DIGITS = 2;
// Mainland residence permits for HK, Macau and Taiwan residents (spec §6.3).
const HMT_REGION_CODES: ReadonlySet<string> = new Set(["810000", "820000", "830000"]);

/**
 * Runs every check on a parsed card.
 *
 * @returns the problems found; an empty list means the card passed.
 * @throws {RangeError} when `today` is not a valid date or `minAgeYears` is negative.
 * @example
 * ```ts
 * const problems = checkCard(card, { today: "2026-05-01", minAgeYears: 18 });
 * if (problems.some((p) => p.type === "expired")) showExpiredScreen();
 * ```
 */
export function checkCard(card: CardText, options: CardCheckOptions): CardProblem[] {
  const today = toIsoDate(options.today, options.utcOffsetMinutes ?? CHINA_UTC_OFFSET_MINUTES);
  if (!Number.isFinite(options.minAgeYears) || options.minAgeYears < 0) {
    throw new RangeError(`Invalid minAgeYears "${options.minAgeYears}": expected 0 or more`);
  }
  const problems: CardProblem[] = [];

  if (card.validUntil !== LONG_TERM && today > card.validUntil) {
    problems.push({ type: "expired", validUntil: card.validUntil, message: `Card expired: valid until "${card.validUntil}"` });
  }
  if (today < card.validFrom) {
    problems.push({ type: "not-yet-valid", validFrom: card.validFrom, message: `Card not yet valid: valid from "${card.validFrom}"` });
  }

  problems.push(...checkIdNumber(card, today));

  if (options.minAgeYears > 0) {
    const ageYears = ageOn(card.birthDate, today);
    if (ageYears < options.minAgeYears) {
      problems.push({ type: "under-age", ageYears, minAgeYears: options.minAgeYears, message: `Holder is ${ageYears} years old: the minimum is ${options.minAgeYears}` });
    }
  }
  return problems;
}

function checkIdNumber(card: CardText, today: string): CardProblem[] {
  switch (card.cardType) {
    case "resident":
    case "hmt-residence": {
      const id = parseGb11643Id(card.idNumber, { today });
      if (!id.ok) return [{ type: "bad-id-number", reason: id.reason, message: id.message }];
      if (card.cardType === "hmt-residence" && !HMT_REGION_CODES.has(id.regionCode)) {
        return [{ type: "bad-id-number", reason: "bad-region", message: "Residence-permit number does not use region code 810000, 820000 or 830000" }];
      }
      return crossCheck(id.birthDate === card.birthDate, id.sex === card.sex);
    }
    case "foreign-permanent-2023": {
      const id = parseForeignPermanentId2023(card.idNumber, { today });
      if (!id.ok) return [{ type: "bad-id-number", reason: id.reason, message: id.message }];
      return crossCheck(id.birthDate === card.birthDate, id.sex === card.sex);
    }
    case "foreign-permanent-2017": {
      // Structure only: the check-digit algorithm is unverified (spec §7.3),
      // and the number carries no sex.
      const id = parseForeignPermanentId2017(card.idNumber);
      if (!id.ok) return [{ type: "bad-id-number", reason: id.reason, message: id.message }];
      const printedYymmdd = card.birthDate.replaceAll("-", "").slice(CENTURY_DIGITS);
      return crossCheck(id.birthDateYymmdd === printedYymmdd, true);
    }
  }
}

function crossCheck(birthDateMatches: boolean, sexMatches: boolean): CardProblem[] {
  const problems: CardProblem[] = [];
  if (!birthDateMatches) problems.push({ type: "birth-date-mismatch", message: "Birth date in the identity number differs from the printed birth date" });
  if (!sexMatches) problems.push({ type: "sex-mismatch", message: "Sex encoded in the identity number differs from the printed sex" });
  return problems;
}

/**
 * Whole years between an ISO birth date and an ISO day. A 29 February
 * birthday counts as reached on 1 March in common years.
 */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = isoParts(birthDate);
  const [ty, tm, td] = isoParts(today);
  const birthdayReached = tm > bm || (tm === bm && td >= bd);
  return ty - by - (birthdayReached ? 0 : 1);
}

function isoParts(iso: string): [number, number, number] {
  const match = ISO_DATE.exec(iso);
  return [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
}

function toIsoDate(today: string | Date, utcOffsetMinutes: number): string {
  if (typeof today === "string") {
    const match = ISO_DATE.exec(today);
    const probe = match ? new Date(`${today}T00:00:00Z`) : undefined;
    if (!probe || Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, today.length) !== today) {
      throw new RangeError(`Invalid today "${today}": expected a YYYY-MM-DD date`);
    }
    return today;
  }
  if (Number.isNaN(today.getTime())) throw new RangeError("Invalid today: the Date is invalid");
  // Shift into the kiosk's civil time, then read the UTC fields of the shifted instant.
  return new Date(today.getTime() + utcOffsetMinutes * MS_PER_MINUTE).toISOString().slice(0, ISO_DATE_LENGTH);
}
