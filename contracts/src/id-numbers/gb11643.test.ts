import { describe, expect, test } from "bun:test";
import { mod11_2CheckChar, parseGb11643Id, upgradeGb11643From15 } from "./gb11643.ts";

describe("mod11_2CheckChar", () => {
  test("computes the GB 11643 sample check character", () => {
    expect(mod11_2CheckChar("11010519491231002")).toBe("X");
    expect(mod11_2CheckChar("11010119800101003")).toBe("7");
  });

  test("throws on anything but 17 digits", () => {
    expect(() => mod11_2CheckChar("1101051949123100")).toThrow(TypeError);
    expect(() => mod11_2CheckChar("1101051949123100A")).toThrow(TypeError);
  });
});

describe("parseGb11643Id", () => {
  test("splits a valid number into its parts", () => {
    expect(parseGb11643Id("110101198001010037")).toEqual({
      ok: true,
      idNumber: "110101198001010037",
      regionCode: "110101",
      provinceCode: "11",
      birthDate: "1980-01-01",
      sequence: "003",
      sex: "male",
      checkChar: "7",
    });
  });

  test("accepts an X check character in either case and upper-cases it", () => {
    const upper = parseGb11643Id("11010519491231002X");
    const lower = parseGb11643Id("11010519491231002x");
    expect(upper.ok && upper.sex).toBe("female");
    expect(lower.ok && lower.idNumber).toBe("11010519491231002X");
  });

  test("accepts residence-permit region codes 810000 and 830000 and a leap day", () => {
    expect(parseGb11643Id("810000199001010027").ok).toBe(true);
    expect(parseGb11643Id("830000199506150045").ok).toBe(true);
    expect(parseGb11643Id("440301200002290015").ok).toBe(true);
  });

  const invalid: Array<[string, string]> = [
    ["11010119800101003", "bad-length"],
    ["1101011980010100377", "bad-length"],
    ["11010119800101003A", "bad-charset"],
    ["X10101198001010037", "bad-charset"],
    ["990101198001010037", "bad-region"],
    ["830100199506150045", "bad-region"],
    ["110101198002300037", "bad-birth-date"],
    ["110101190002290037", "bad-birth-date"],
    ["110101180001010037", "bad-birth-date"],
    ["110101198001010038", "bad-check-digit"],
    ["11010519491231002 ", "bad-charset"],
  ];
  for (const [value, reason] of invalid) {
    test(`rejects "${value}" with ${reason}`, () => {
      const result = parseGb11643Id(value);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toBe(reason as typeof result.reason);
        expect(result.message).not.toContain(value.trim());
      }
    });
  }

  test("rejects a birth date after today when today is given", () => {
    expect(parseGb11643Id("110101202401010019").ok).toBe(true);
    const result = parseGb11643Id("110101202401010019", { today: "2023-12-31" });
    expect(result.ok ? "" : result.reason).toBe("bad-birth-date");
  });
});

describe("upgradeGb11643From15", () => {
  test("inserts 19 and appends the check character (spec §7.2 example)", () => {
    expect(upgradeGb11643From15("110105491231002")).toEqual({ ok: true, idNumber: "11010519491231002X" });
  });

  test("rejects bad legacy numbers", () => {
    expect(upgradeGb11643From15("11010549123100")).toMatchObject({ ok: false, reason: "bad-length" });
    expect(upgradeGb11643From15("11010549123100A")).toMatchObject({ ok: false, reason: "bad-charset" });
    expect(upgradeGb11643From15("990105491231002")).toMatchObject({ ok: false, reason: "bad-region" });
    expect(upgradeGb11643From15("110105491331002")).toMatchObject({ ok: false, reason: "bad-birth-date" });
  });
});
