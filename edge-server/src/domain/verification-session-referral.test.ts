import { describe, expect, test } from "bun:test";
import { REFERRAL_CODE_PATTERN, seededRandom } from "@kiosk/contracts";
import { dammCheckDigit, isReferralCode, referralCode } from "./verification-session-referral.ts";

describe("dammCheckDigit", () => {
  test("gives the published check digit of 572", () => {
    expect(dammCheckDigit("572")).toBe(4);
    expect(dammCheckDigit("5724")).toBe(0);
  });
});

describe("referralCode", () => {
  test("is 7 digits whose check digit holds, and repeats for the same random source", () => {
    const codes = Array.from({ length: 200 }, ((random) => () => referralCode(random))(seededRandom(3)));
    for (const code of codes) {
      expect(code).toMatch(REFERRAL_CODE_PATTERN);
      expect(isReferralCode(code)).toBe(true);
    }
    expect(new Set(codes).size).toBeGreaterThan(190);
    const again = seededRandom(3);
    expect(referralCode(again)).toBe(codes[0] as string);
  });

  test("still gives digits when the source returns its bounds or leaves them", () => {
    for (const value of [0, 0.999999, 1, -0.5, 7, Number.NaN]) expect(isReferralCode(referralCode(() => value))).toBe(true);
    expect(referralCode(() => 1)).toBe(`999999${dammCheckDigit("999999")}`);
  });
});

describe("isReferralCode", () => {
  const code = referralCode(seededRandom(11));

  test("catches every single wrong digit", () => {
    for (let i = 0; i < code.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[i]) continue;
        expect(isReferralCode(`${code.slice(0, i)}${d}${code.slice(i + 1)}`)).toBe(false);
      }
    }
  });

  test("catches every swap of two different neighbours", () => {
    for (let i = 0; i + 1 < code.length; i++) {
      if (code[i] === code[i + 1]) continue;
      expect(isReferralCode(`${code.slice(0, i)}${code[i + 1]}${code[i]}${code.slice(i + 2)}`)).toBe(false);
    }
  });

  test("refuses anything but 7 digits", () => {
    for (const bad of ["", "123456", "12345678", "12345a7", " 1234567"]) expect(isReferralCode(bad)).toBe(false);
  });
});
