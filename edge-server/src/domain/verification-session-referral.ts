/**
 * The referral code an applicant takes to a staff window: six random digits
 * and a Damm check digit, so a code misread or mistyped at the window (any
 * single wrong digit, any swap of two neighbours) is caught instead of
 * finding someone else's attempt. Digits only: nothing to confuse on a large
 * display or when read aloud. It carries no personal data.
 */
import { REFERRAL_CODE_PATTERN } from "@kiosk/contracts";

/** Random digits before the check digit: 10⁶ codes, looked up together with the kiosk and the day. */
export const REFERRAL_RANDOM_DIGITS = 6;

// The Damm quasigroup of order 10 (H. M. Damm, 2004): row = interim digit, column = next digit.
const DAMM_TABLE: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

/** The Damm check digit of a string of digits. */
export function dammCheckDigit(digits: string): number {
  let interim = 0;
  for (const ch of digits) interim = DAMM_TABLE[interim]?.[Number(ch)] ?? Number.NaN;
  return interim;
}

/**
 * A new referral code from `random` (numbers in [0, 1)).
 *
 * @example
 * ```ts
 * referralCode(Math.random); // "4071395"
 * ```
 */
export function referralCode(random: () => number): string {
  let digits = "";
  for (let i = 0; i < REFERRAL_RANDOM_DIGITS; i++) {
    // Clamped, so a source that returns 1 (or drifts out of range) still yields a digit.
    digits += String(Math.min(9, Math.max(0, Math.floor(random() * 10))) || 0);
  }
  return `${digits}${dammCheckDigit(digits)}`;
}

/** True when `code` has the shape of a referral code and its check digit holds. */
export function isReferralCode(code: string): boolean {
  return REFERRAL_CODE_PATTERN.test(code) && dammCheckDigit(code) === 0;
}
