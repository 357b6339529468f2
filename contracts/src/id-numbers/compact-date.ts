/**
 * Calendar-date helpers for the compact `YYYYMMDD` dates that identity
 * numbers and ID-card chips carry.
 */

const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const MONTHS_PER_YEAR = 12;
// Index 0 is unused so the month number indexes directly; February is fixed up for leap years below.
const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
const FEBRUARY = 2;
const LEAP_FEBRUARY_DAYS = 29;

/** True for Gregorian leap years. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Number of days in `month` (1–12) of `year`; 0 for a month out of range. */
export function daysInMonth(year: number, month: number): number {
  if (!Number.isInteger(month) || month < 1 || month > MONTHS_PER_YEAR) return 0;
  if (month === FEBRUARY && isLeapYear(year)) return LEAP_FEBRUARY_DAYS;
  return DAYS_IN_MONTH[month] ?? 0;
}

/** True when `year`-`month`-`day` exists in the Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return Number.isInteger(year) && Number.isInteger(day) && day >= 1 && day <= daysInMonth(year, month);
}

/**
 * Turns a compact `YYYYMMDD` date into ISO `YYYY-MM-DD`.
 *
 * @returns the ISO date, or `undefined` when `text` is not 8 digits forming a real calendar date.
 * @example
 * ```ts
 * compactDateToIso("19800101"); // "1980-01-01"
 * compactDateToIso("19800230"); // undefined
 * ```
 */
export function compactDateToIso(text: string): string | undefined {
  const match = COMPACT_DATE.exec(text);
  if (!match) return undefined;
  const [, y = "", m = "", d = ""] = match;
  if (!isCalendarDate(Number(y), Number(m), Number(d))) return undefined;
  return `${y}-${m}-${d}`;
}
