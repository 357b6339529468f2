import { describe, expect, test } from "bun:test";
import { splitBaseMessage } from "./base-message.ts";
import { parseCardText, type CardText } from "./card-text.ts";
import { encodeCardText, encodeUcs2Field } from "./card-text-encoder.ts";
import { CARD_TYPE_OFFSET, FOREIGN_2023_FIELDS, TEXT_BYTES } from "./constants.ts";
import { decodeFrame, readResponse } from "./frame.ts";
import { loadVector, type VectorFile } from "./testdata/load-vector.ts";

/** The 256-byte text section of a golden read reply. */
async function vectorText(name: VectorFile): Promise<Uint8Array> {
  const decoded = decodeFrame(await loadVector(name));
  if (!decoded.ok) throw new Error(decoded.message);
  const read = readResponse(decoded.frame);
  if (!read.ok) throw new Error(read.message);
  const split = splitBaseMessage(read.response);
  if (!split.ok) throw new Error(split.message);
  return split.message.text;
}

function parsed(text: Uint8Array): CardText {
  const result = parseCardText(text);
  if (!result.ok) throw new Error(result.message);
  return result.card;
}

const GOLDEN = [
  "syn_cn_readbase_1295.hex",
  "syn_gat_J_readbase_1295.hex",
  "syn_foreign2017_I_readbase_1295.hex",
  "syn_foreign2023_Y_readbase_1295.hex",
] as const;

describe("encodeCardText: the inverse of parseCardText", () => {
  for (const name of GOLDEN) {
    test(`${name}: parse → encode gives the vector's text section byte for byte`, async () => {
      const text = await vectorText(name);
      const encoded = encodeCardText(parsed(text));
      expect(encoded.length).toBe(TEXT_BYTES);
      expect([...encoded]).toEqual([...text]);
    });
  }

  const cards: CardText[] = [
    {
      cardType: "resident",
      name: "欧阳娜娜",
      sex: "female",
      ethnicityCode: "11",
      ethnicity: "满",
      birthDate: "2000-02-29",
      address: "辽宁省沈阳市和平区示例街１０号３单元",
      idNumber: "21010220000229002X",
      issuer: "沈阳市公安局和平分局",
      validFrom: "2018-03-01",
      validUntil: "2028-03-01",
    },
    {
      cardType: "resident",
      name: "阿依古丽",
      sex: "female",
      ethnicityCode: "57",
      birthDate: "1950-12-31",
      address: "新疆乌鲁木齐市示例路",
      idNumber: "650102195012310042",
      issuer: "乌鲁木齐市公安局",
      validFrom: "2010-01-01",
      validUntil: "long-term",
    },
    {
      cardType: "hmt-residence",
      name: "林志明",
      sex: "male",
      birthDate: "1988-07-07",
      address: "福建省厦门市思明区示例路８号",
      idNumber: "830000198807070012",
      issuer: "厦门市公安局",
      validFrom: "2020-07-01",
      validUntil: "2025-07-01",
      passNumber: "01234567",
      issueCount: "03",
    },
    {
      cardType: "foreign-permanent-2017",
      nameEn: "VERYLONGSURNAME-DOUBLE-BARRELLED, FIRSTNAME MIDDLENAME XY",
      name: "",
      sex: "female",
      idNumber: "USA310075120219",
      nationality: "USA",
      validFrom: "2017-06-16",
      validUntil: "2027-06-15",
      birthDate: "1975-12-02",
      cardVersion: "17",
      authorityCode: "3100",
    },
    {
      cardType: "foreign-permanent-2023",
      name: "马丁",
      // 44 characters: 35 at offset 52, the rest at 220 (spec §6.5).
      nameEn: "MARTIN-LEWANDOWSKA, ALEKSANDRA KATARZYNA ZOE",
      sex: "female",
      renewalCount: "01",
      birthDate: "1985-01-01",
      idNumber: "932616198501010027",
      validFrom: "2023-12-01",
      validUntil: "2033-11-30",
      nationality: "POL",
      previousNumberLink: "A1B",
    },
  ];
  for (const card of cards) {
    test(`round trip: ${card.cardType} ${card.idNumber}`, () => {
      expect(parsed(encodeCardText(card))).toEqual(card);
    });
  }

  test("card-type letters go to byte 248; a resident card keeps a space there", () => {
    const letters = cards.map((card) => String.fromCharCode(encodeCardText(card)[CARD_TYPE_OFFSET] ?? 0));
    expect(letters).toEqual([" ", " ", "J", "I", "Y"]);
  });

  test("a 2023 English name whose 35th character, the last of the first part, is a space still round-trips", () => {
    const card = cards[4] as Extract<CardText, { cardType: "foreign-permanent-2023" }>;
    const nameEn = "A".repeat(FOREIGN_2023_FIELDS.nameEn.bytes / 2 - 1) + " B";
    expect(nameEn.length).toBe(36);
    expect(parsed(encodeCardText({ ...card, nameEn }))).toEqual({ ...card, nameEn });
  });
});

describe("encodeCardText: refuses what the card cannot carry, naming the field only", () => {
  const base: CardText = {
    cardType: "resident",
    name: "测试",
    sex: "male",
    ethnicityCode: "01",
    birthDate: "1980-01-01",
    address: "北京",
    idNumber: "110101198001010037",
    issuer: "北京",
    validFrom: "2020-01-01",
    validUntil: "long-term",
  };
  const cases: [string, Partial<Record<string, string>>, RegExp][] = [
    ["a name longer than 15 characters", { name: "张".repeat(16) }, /Field "name" is too long: 16 characters, at most 15/],
    ["a character outside UCS-2", { address: "北京𠀀" }, /Field "address" holds a character outside UCS-2/],
    ["a trailing space, which the parser would trim", { issuer: "北京 " }, /Field "issuer" starts or ends with a space/],
    ["a leading ideographic space", { name: "\u3000测试" }, /Field "name" starts or ends/],
    ["a date that is not ISO", { birthDate: "19800101" }, /Invalid field "birthDate": expected an ISO date/],
    ["an impossible date", { validFrom: "2021-02-29" }, /Invalid field "validFrom"/],
    ["long-term where only a date is allowed", { validFrom: "long-term" }, /Invalid field "validFrom"/],
    ["an unknown sex", { sex: "other" }, /Invalid sex "other"/],
  ];
  for (const [what, patch, message] of cases) {
    test(what, () => {
      const card = { ...base, ...patch } as CardText;
      expect(() => encodeCardText(card)).toThrow(RangeError);
      expect(() => encodeCardText(card)).toThrow(message);
      // Messages never quote the offending content.
      try {
        encodeCardText(card);
      } catch (error) {
        for (const value of Object.values(patch)) if (value && value.length > 6) expect((error as Error).message).not.toContain(value);
      }
    });
  }

  test("long-term is accepted for validUntil", () => {
    expect(parsed(encodeCardText(base)).validUntil).toBe("long-term");
  });
});

describe("encodeUcs2Field", () => {
  test("encodes UCS-2LE, space padded to the field size", () => {
    expect([...encodeUcs2Field("A号", 8, "x")]).toEqual([0x41, 0x00, 0xf7, 0x53, 0x20, 0x00, 0x20, 0x00]);
  });

  test("rejects an odd size or a value that does not fit", () => {
    expect(() => encodeUcs2Field("A", 3, "x")).toThrow(RangeError);
    expect(() => encodeUcs2Field("ABC", 4, "appendedAddress")).toThrow(/Field "appendedAddress" is too long: 3 characters, at most 2/);
  });
});
