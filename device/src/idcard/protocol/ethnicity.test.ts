import { describe, expect, test } from "bun:test";
import { ETHNICITIES, ethnicityDisplayName, lookupEthnicity } from "./ethnicity.ts";

describe("GB 3304 table", () => {
  test("has codes 01–56, 97 and 98 and nothing else", () => {
    const expected = [...Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, "0")), "97", "98"];
    expect(Object.keys(ETHNICITIES).sort()).toEqual(expected);
    expect(new Set(Object.values(ETHNICITIES).map((e) => e.name)).size).toBe(58);
  });

  test("looks up names and display forms", () => {
    expect(lookupEthnicity("01")?.name).toBe("汉");
    expect(lookupEthnicity("03")).toEqual({ name: "回", romanized: "Hui", suffix: true });
    expect(lookupEthnicity("56")?.name).toBe("基诺");
    expect(ethnicityDisplayName("05")).toBe("维吾尔族");
    expect(ethnicityDisplayName("97")).toBe("其他");
    expect(ethnicityDisplayName("98")).toBe("外国血统中国籍人士");
  });

  test("unknown and non-standard codes give undefined", () => {
    for (const code of ["00", "57", "59", "1", "", "  ", "toString"]) {
      expect(lookupEthnicity(code)).toBeUndefined();
      expect(ethnicityDisplayName(code)).toBeUndefined();
    }
  });
});
