import { describe, expect, test } from "bun:test";
import { parseForeignPermanentId2017 } from "./foreign-permanent-id-2017.ts";
import { parseForeignPermanentId2023 } from "./foreign-permanent-id-2023.ts";

describe("parseForeignPermanentId2023", () => {
  test("parses the two official samples (spec §7.3)", () => {
    expect(parseForeignPermanentId2023("932682198501010017")).toEqual({
      ok: true,
      idNumber: "932682198501010017",
      provinceCode: "32",
      countryCode: "682",
      birthDate: "1985-01-01",
      sequence: "001",
      sex: "male",
      checkChar: "7",
    });
    const canada = parseForeignPermanentId2023("911124198108030024");
    expect(canada).toMatchObject({ ok: true, provinceCode: "11", countryCode: "124", birthDate: "1981-08-03", sex: "female" });
  });

  const invalid: Array<[string, string]> = [
    ["91112419810803002", "bad-length"],
    ["91112419810803002A", "bad-charset"],
    ["110101198001010037", "bad-prefix"],
    ["981124198108030020", "bad-region"],
    ["911124198113030024", "bad-birth-date"],
    ["911124198108030025", "bad-check-digit"],
  ];
  for (const [value, reason] of invalid) {
    test(`rejects "${value}" with ${reason}`, () => {
      expect(parseForeignPermanentId2023(value)).toMatchObject({ ok: false, reason });
    });
  }

  test("rejects a birth date after today when today is given", () => {
    expect(parseForeignPermanentId2023("911124198108030024", { today: "1981-08-02" })).toMatchObject({ ok: false, reason: "bad-birth-date" });
  });
});

describe("parseForeignPermanentId2017", () => {
  test("splits the structure and does not verify the check digit", () => {
    expect(parseForeignPermanentId2017("CAN110080010112")).toEqual({
      ok: true,
      idNumber: "CAN110080010112",
      nationality: "CAN",
      officeCode: "1100",
      birthDateYymmdd: "800101",
      sequence: "1",
      checkChar: "2",
    });
    // Same number with another final digit: accepted, the algorithm is unverified.
    expect(parseForeignPermanentId2017("CAN110080010119").ok).toBe(true);
  });

  test("reads characters 8–13 as YYMMDD (the shared vector's number encodes 801010)", () => {
    expect(parseForeignPermanentId2017("CAN110080101000")).toMatchObject({ ok: true, officeCode: "1100", birthDateYymmdd: "801010", sequence: "0" });
  });

  test("accepts 29 February without knowing the century", () => {
    expect(parseForeignPermanentId2017("USA310000022910").ok).toBe(true);
  });

  const invalid: Array<[string, string]> = [
    ["CAN11008010100", "bad-length"],
    ["can110080101000", "bad-charset"],
    ["CA1110080101000", "bad-charset"],
    ["CAN1100801010X0", "bad-charset"],
    ["CAN990080101000", "bad-region"],
    ["CAN110080131000", "bad-birth-date"],
    ["CAN110080023000", "bad-birth-date"],
  ];
  for (const [value, reason] of invalid) {
    test(`rejects "${value}" with ${reason}`, () => {
      expect(parseForeignPermanentId2017(value)).toMatchObject({ ok: false, reason });
    });
  }
});
