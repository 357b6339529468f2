import { describe, expect, test } from "bun:test";
import { compactDateToIso, daysInMonth, isCalendarDate } from "./compact-date.ts";

describe("compactDateToIso", () => {
  test("converts real dates and rejects impossible ones", () => {
    expect(compactDateToIso("19800101")).toBe("1980-01-01");
    expect(compactDateToIso("20000229")).toBe("2000-02-29");
    expect(compactDateToIso("19000229")).toBeUndefined();
    expect(compactDateToIso("20230431")).toBeUndefined();
    expect(compactDateToIso("20231301")).toBeUndefined();
    expect(compactDateToIso("20230100")).toBeUndefined();
    expect(compactDateToIso("2023011")).toBeUndefined();
    expect(compactDateToIso("２０２３０１０１")).toBeUndefined();
  });

  test("knows month lengths", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2023, 2)).toBe(28);
    expect(daysInMonth(2023, 13)).toBe(0);
    expect(isCalendarDate(2023, 12, 31)).toBe(true);
    expect(isCalendarDate(2023, 11, 31)).toBe(false);
  });
});
