import { describe, expect, test } from "bun:test";
import { ageOn, checkCard, type CardProblem } from "./card-checks.ts";
import type { CardText } from "./protocol/card-text.ts";
import { decodeIdentityReply } from "./protocol/identity.ts";
import { loadVector, type VectorFile } from "./protocol/testdata/load-vector.ts";

async function cardOf(name: VectorFile): Promise<CardText> {
  const result = decodeIdentityReply(await loadVector(name));
  if (!result.ok) throw new Error(result.message);
  return result.identity.card;
}

const resident = await cardOf("syn_cn_readbase_1295.hex");
const gat = await cardOf("syn_gat_J_readbase_1295.hex");
const foreign2017 = await cardOf("syn_foreign2017_I_readbase_1295.hex");
const foreign2023 = await cardOf("syn_foreign2023_Y_readbase_1295.hex");

const types = (problems: CardProblem[]): string[] => problems.map((p) => p.type);
const TODAY = "2026-05-01";

describe("checkCard on the vectors", () => {
  test("the long-term resident card passes", () => {
    expect(checkCard(resident, { today: TODAY, minAgeYears: 18 })).toEqual([]);
  });

  test("the J permit is expired (README: valid to 2024-01-01)", () => {
    expect(checkCard(gat, { today: TODAY, minAgeYears: 18 })).toEqual([
      { type: "expired", validUntil: "2024-01-01", message: 'Card expired: valid until "2024-01-01"' },
    ]);
  });

  test("the Y card passes", () => {
    expect(checkCard(foreign2023, { today: TODAY, minAgeYears: 18 })).toEqual([]);
  });

  test("the I card's number encodes YYMMDD 801010, not the printed 1980-01-01", () => {
    expect(types(checkCard(foreign2017, { today: TODAY, minAgeYears: 18 }))).toEqual(["birth-date-mismatch"]);
    const consistent: CardText = { ...foreign2017, idNumber: "CAN110080010100" } as CardText;
    expect(checkCard(consistent, { today: TODAY, minAgeYears: 18 })).toEqual([]);
  });
});

describe("validity period", () => {
  test("the last valid day is still valid; the next day is expired", () => {
    expect(types(checkCard(gat, { today: "2024-01-01", minAgeYears: 0 }))).toEqual([]);
    expect(types(checkCard(gat, { today: "2024-01-02", minAgeYears: 0 }))).toEqual(["expired"]);
  });

  test("before valid-from is not yet valid", () => {
    expect(types(checkCard(foreign2023, { today: "2023-11-30", minAgeYears: 0 }))).toEqual(["not-yet-valid"]);
    expect(types(checkCard(foreign2023, { today: "2023-12-01", minAgeYears: 0 }))).toEqual([]);
  });

  test("long-term cards never expire", () => {
    expect(types(checkCard(resident, { today: "2199-12-31", minAgeYears: 0 }))).toEqual([]);
  });

  test("a Date is read in China time by default", () => {
    // 2024-01-01T16:30Z is already 2 January in Beijing.
    expect(types(checkCard(gat, { today: new Date("2024-01-01T16:30:00Z"), minAgeYears: 0 }))).toEqual(["expired"]);
    expect(types(checkCard(gat, { today: new Date("2024-01-01T16:30:00Z"), minAgeYears: 0, utcOffsetMinutes: 0 }))).toEqual([]);
  });
});

describe("identity number", () => {
  test("a wrong check digit is reported", () => {
    const card = { ...resident, idNumber: "110101198001010038" } as CardText;
    expect(checkCard(card, { today: TODAY, minAgeYears: 0 })).toEqual([
      { type: "bad-id-number", reason: "bad-check-digit", message: expect.any(String) },
    ]);
  });

  test("a birth date in the number that differs from the card is reported", () => {
    const card = { ...resident, birthDate: "1980-01-02" } as CardText;
    expect(types(checkCard(card, { today: TODAY, minAgeYears: 0 }))).toEqual(["birth-date-mismatch"]);
  });

  test("a sex that differs from the number's parity is reported", () => {
    const card = { ...foreign2023, sex: "male" } as CardText;
    expect(types(checkCard(card, { today: TODAY, minAgeYears: 0 }))).toEqual(["sex-mismatch"]);
  });

  test("a J permit must use 810000, 820000 or 830000", () => {
    const card = { ...gat, idNumber: "110101199001010023" } as CardText;
    expect(checkCard(card, { today: "2023-01-01", minAgeYears: 0 })).toEqual([
      { type: "bad-id-number", reason: "bad-region", message: expect.any(String) },
    ]);
  });

  test("a 2023 number without the leading 9 is reported", () => {
    const card = { ...foreign2023, idNumber: "110101198108030024" } as CardText;
    expect(checkCard(card, { today: TODAY, minAgeYears: 0 })).toMatchObject([{ type: "bad-id-number", reason: "bad-prefix" }]);
  });

  test("a malformed 2017 number is reported", () => {
    const card = { ...foreign2017, idNumber: "C4N110080010100" } as CardText;
    expect(checkCard(card, { today: TODAY, minAgeYears: 0 })).toMatchObject([{ type: "bad-id-number", reason: "bad-charset" }]);
  });

  test("problems add up", () => {
    const card = { ...gat, birthDate: "1990-01-02" } as CardText;
    expect(types(checkCard(card, { today: TODAY, minAgeYears: 40 }))).toEqual(["expired", "birth-date-mismatch", "under-age"]);
  });
});

describe("minimum age", () => {
  test("turns 18 on the 18th birthday, not the day before", () => {
    const card = { ...resident, birthDate: "2008-05-02", idNumber: "110101200805020038" } as CardText;
    expect(checkCard(card, { today: "2026-05-01", minAgeYears: 18 })).toEqual([
      { type: "under-age", ageYears: 17, minAgeYears: 18, message: "Holder is 17 years old: the minimum is 18" },
    ]);
    expect(checkCard(card, { today: "2026-05-02", minAgeYears: 18 })).toEqual([]);
    expect(checkCard(card, { today: "2026-05-01", minAgeYears: 0 })).toEqual([]);
  });

  test("ageOn counts whole years; a 29 February birthday is reached on 1 March", () => {
    expect(ageOn("1980-01-01", "2026-05-01")).toBe(46);
    expect(ageOn("2000-02-29", "2018-02-28")).toBe(17);
    expect(ageOn("2000-02-29", "2018-03-01")).toBe(18);
    expect(ageOn("2000-02-29", "2020-02-29")).toBe(20);
  });
});

describe("misuse", () => {
  test("a bad today or minimum age throws RangeError", () => {
    expect(() => checkCard(resident, { today: "2026-02-30", minAgeYears: 0 })).toThrow(RangeError);
    expect(() => checkCard(resident, { today: "26-05-01", minAgeYears: 0 })).toThrow(RangeError);
    expect(() => checkCard(resident, { today: new Date(Number.NaN), minAgeYears: 0 })).toThrow(RangeError);
    expect(() => checkCard(resident, { today: TODAY, minAgeYears: -1 })).toThrow(RangeError);
  });
});
