import { describe, expect, test } from "bun:test";
import { organizationCodeCheckChar, parseSocialCreditCode, socialCreditCheckChar } from "./social-credit-code.ts";

describe("socialCreditCheckChar", () => {
  test("matches the verified samples of spec §7.4", () => {
    expect(socialCreditCheckChar("91440300708461136")).toBe("T");
    expect(socialCreditCheckChar("91110108551385082")).toBe("Q");
    expect(socialCreditCheckChar("91350100M000100Y4")).toBe("3");
  });

  test("throws on misuse", () => {
    expect(() => socialCreditCheckChar("9144030070846113")).toThrow(TypeError);
    expect(() => socialCreditCheckChar("9144030070846113I")).toThrow(TypeError);
  });
});

describe("organizationCodeCheckChar", () => {
  test("computes GB 11714 check characters, including letters", () => {
    expect(organizationCodeCheckChar("70846113")).toBe("6");
    expect(organizationCodeCheckChar("M000100Y")).toBe("4");
    expect(organizationCodeCheckChar("MA01AB3C")).toBe("X");
    expect(organizationCodeCheckChar("MA01AB3")).toBeUndefined();
  });
});

describe("parseSocialCreditCode", () => {
  test("splits an enterprise code", () => {
    expect(parseSocialCreditCode("91350100M000100Y43")).toEqual({
      ok: true,
      code: "91350100M000100Y43",
      registrationAuthority: { code: "9", name: "工商" },
      entityType: { code: "1", name: "企业" },
      divisionCode: "350100",
      organizationCode: "M000100Y4",
      organizationCodeValid: true,
      checkChar: "3",
    });
  });

  test("accepts other authorities, national division 10 and reports a bad embedded organisation code", () => {
    expect(parseSocialCreditCode("31110000MA01AB3CXE")).toMatchObject({ ok: true, entityType: { code: "1", name: "律师执业机构" } });
    expect(parseSocialCreditCode("12100000MA01AB3CX9")).toMatchObject({ ok: true, divisionCode: "100000", registrationAuthority: { name: "机构编制" } });
    expect(parseSocialCreditCode("Y1110000MA01AB3CXJ")).toMatchObject({ ok: true, registrationAuthority: { code: "Y" } });
    // An open authority with an entity type this table does not list: accepted, without a name.
    expect(parseSocialCreditCode("54110000MA01AB3CX3")).toEqual(expect.objectContaining({ ok: true, entityType: { code: "4" } }));
    expect(parseSocialCreditCode("92440300L12345674D")).toMatchObject({ ok: true, organizationCodeValid: true, entityType: { name: "个体工商户" } });
  });

  test("reports an organisation code whose own check fails without rejecting the code", () => {
    const first17 = "9144030070846113" + "5";
    const code = first17 + socialCreditCheckChar(first17);
    expect(parseSocialCreditCode(code)).toMatchObject({ ok: true, organizationCodeValid: false });
  });

  const invalid: Array<[string, string]> = [
    ["91440300708461136", "bad-length"],
    ["91440300708461136TT", "bad-length"],
    ["91440300708461136t", "bad-charset"],
    ["9144030070846113IT", "bad-charset"],
    ["Z1440300708461136T", "bad-charset"],
    ["B1440300708461136T", "bad-registration-authority"],
    ["94440300708461136T", "bad-entity-type"],
    ["Y2440300708461136T", "bad-entity-type"],
    ["91990300708461136T", "bad-region"],
    ["9144A300708461136T", "bad-region"],
    ["91440300708461136U", "bad-check-digit"],
  ];
  for (const [value, reason] of invalid) {
    test(`rejects "${value}" with ${reason}`, () => {
      expect(parseSocialCreditCode(value)).toMatchObject({ ok: false, reason });
    });
  }
});
