import { describe, expect, test } from "bun:test";
import { splitBaseMessage } from "./base-message.ts";
import { detectCardType, parseCardText } from "./card-text.ts";
import { CARD_TYPE_OFFSET, FOREIGN_2023_FIELDS, RESIDENT_FIELDS, TEXT_BYTES, type TextField } from "./constants.ts";
import { decodeFrame, readResponse } from "./frame.ts";
import { loadVector, type VectorFile } from "./testdata/load-vector.ts";
import { readTextField, trimPadding } from "./text-field.ts";
import { SYNTHETIC_RESIDENT_CARD } from "./testdata/expected-cards.ts";

async function textOf(name: VectorFile): Promise<Uint8Array> {
  const decoded = decodeFrame(await loadVector(name));
  if (!decoded.ok) throw new Error(decoded.message);
  const read = readResponse(decoded.frame);
  if (!read.ok) throw new Error(read.message);
  const split = splitBaseMessage(read.response);
  if (!split.ok) throw new Error(split.message);
  return split.message.text.slice();
}

/** Writes `value` as UCS-2LE into `field`, padding with `pad`. */
function patch(text: Uint8Array, field: TextField, value: string, pad = " "): Uint8Array {
  const out = text.slice();
  const chars = field.bytes / 2;
  const padded = value.padEnd(chars, pad).slice(0, chars);
  for (let i = 0; i < chars; i++) {
    const code = padded.charCodeAt(i);
    out[field.offset + 2 * i] = code & 0xff;
    out[field.offset + 2 * i + 1] = code >> 8;
  }
  return out;
}

const resident = await textOf("syn_cn_readbase_1295.hex");
const gat = await textOf("syn_gat_J_readbase_1295.hex");
const foreign2017 = await textOf("syn_foreign2017_I_readbase_1295.hex");
const foreign2023 = await textOf("syn_foreign2023_Y_readbase_1295.hex");


describe("parseCardText: the README vectors", () => {
  test("resident card (full-width digit kept, 长期 → long-term)", () => {
    expect(parseCardText(resident)).toEqual({ ok: true, card: SYNTHETIC_RESIDENT_CARD });
  });

  test("the same card read with 30 10, with and without fingerprints", async () => {
    for (const name of ["syn_cn_readbase_fp0_1297.hex", "syn_cn_readbase_fp1024_2321.hex"] as const) {
      expect(parseCardText(await textOf(name))).toEqual({ ok: true, card: SYNTHETIC_RESIDENT_CARD });
    }
  });

  test("HK/Macau/Taiwan residence permit J", () => {
    expect(parseCardText(gat)).toEqual({
      ok: true,
      card: {
        cardType: "hmt-residence",
        name: "测试乙",
        sex: "female",
        birthDate: "1990-01-01",
        address: "广东省深圳市福田区测试路２号",
        idNumber: "810000199001010027",
        issuer: "深圳市公安局",
        validFrom: "2019-01-01",
        validUntil: "2024-01-01",
        passNumber: "H12345678",
        issueCount: "01",
      },
    });
  });

  test("foreign permanent-resident card 2017 I", () => {
    expect(parseCardText(foreign2017)).toEqual({
      ok: true,
      card: {
        cardType: "foreign-permanent-2017",
        nameEn: "TESTER, ALPHA",
        name: "测试丙",
        sex: "male",
        idNumber: "CAN110080101000",
        nationality: "CAN",
        validFrom: "2017-06-16",
        validUntil: "2027-06-15",
        birthDate: "1980-01-01",
        cardVersion: "17",
        authorityCode: "1100",
      },
    });
  });

  test("foreign permanent-resident card 2023 Y", () => {
    expect(parseCardText(foreign2023)).toEqual({
      ok: true,
      card: {
        cardType: "foreign-permanent-2023",
        name: "测试丁",
        nameEn: "TESTER, BETA",
        sex: "female",
        renewalCount: "00",
        birthDate: "1981-08-03",
        idNumber: "911124198108030024",
        validFrom: "2023-12-01",
        validUntil: "2033-11-30",
        nationality: "CAN",
        previousNumberLink: "",
      },
    });
  });
});

describe("card-type detection (spec §6.2)", () => {
  test("reads the letter at byte 248", () => {
    expect(detectCardType(resident)).toBe("resident");
    expect(detectCardType(gat)).toBe("hmt-residence");
    expect(detectCardType(foreign2017)).toBe("foreign-permanent-2017");
    expect(detectCardType(foreign2023)).toBe("foreign-permanent-2023");
  });

  test("any other letter means a resident card", () => {
    for (const letter of ["K", "j", "\u0000", "\u3000"]) {
      expect(detectCardType(patch(resident, { offset: CARD_TYPE_OFFSET, bytes: 2 }, letter))).toBe("resident");
    }
  });
});

describe("padding and text", () => {
  test("trims spaces, NULs and ideographic spaces at both ends only", () => {
    expect(trimPadding("\u3000测试 甲\u0000\u0000  \u3000")).toBe("测试 甲");
    const nulPadded = patch(resident, RESIDENT_FIELDS.name, "测试甲", "\u0000");
    expect(readTextField(nulPadded, RESIDENT_FIELDS.name)).toBe("测试甲");
    const ideographic = patch(resident, RESIDENT_FIELDS.issuer, "公安局", "\u3000");
    expect(readTextField(ideographic, RESIDENT_FIELDS.issuer)).toBe("公安局");
  });

  test("a 2023 English name of more than 35 characters continues at byte 220", () => {
    const long = "ABCDEFGHIJKLMNOPQRSTUVWXYZ, ABCDEFGHIJKLMNOPQR"; // 46 characters
    const first = patch(foreign2023, FOREIGN_2023_FIELDS.nameEn, long.slice(0, 35));
    const text = patch(first, FOREIGN_2023_FIELDS.nameEnContinued, long.slice(35));
    const result = parseCardText(text);
    expect(result.ok && result.card.cardType === "foreign-permanent-2023" && result.card.nameEn).toBe(long);
  });

  test("an unknown nation code keeps the raw code and leaves the name out", () => {
    const result = parseCardText(patch(resident, RESIDENT_FIELDS.ethnicity, "59"));
    expect(result.ok && result.card).toMatchObject({ ethnicityCode: "59" });
    expect(result.ok && "ethnicity" in result.card).toBe(false);
    const other = parseCardText(patch(resident, RESIDENT_FIELDS.ethnicity, "97"));
    expect(other.ok && other.card).toMatchObject({ ethnicityCode: "97", ethnicity: "其他" });
  });

  test("a dated valid-until is read as a date", () => {
    const result = parseCardText(patch(resident, RESIDENT_FIELDS.validUntil, "20400101"));
    expect(result.ok && result.card.validUntil).toBe("2040-01-01");
  });
});

describe("bad layouts return a reason, never throw", () => {
  const cases: Array<[string, Uint8Array, string, string | undefined]> = [
    ["220-byte text (cap10)", resident.subarray(0, 220), "bad-text-length", undefined],
    ["257-byte text", new Uint8Array(TEXT_BYTES + 1), "bad-text-length", undefined],
    ["sex code 3", patch(resident, RESIDENT_FIELDS.sex, "3"), "unknown-sex", "sex"],
    ["sex code 0", patch(resident, RESIDENT_FIELDS.sex, "0"), "unknown-sex", "sex"],
    ["birth date 30 February", patch(resident, RESIDENT_FIELDS.birthDate, "19800230"), "bad-date", "birthDate"],
    ["full-width birth date", patch(resident, RESIDENT_FIELDS.birthDate, "１９８００１０１"), "bad-date", "birthDate"],
    ["valid-from 长期", patch(resident, RESIDENT_FIELDS.validFrom, "长期"), "bad-date", "validFrom"],
    ["valid-until garbage", patch(resident, RESIDENT_FIELDS.validUntil, "2040-1-1"), "bad-date", "validUntil"],
    ["J with blank birth date", patch(gat, RESIDENT_FIELDS.birthDate, ""), "bad-date", "birthDate"],
    ["I with bad sex", patch(foreign2017, { offset: 120, bytes: 2 }, "X"), "unknown-sex", "sex"],
    ["Y with bad expiry", patch(foreign2023, FOREIGN_2023_FIELDS.validUntil, "20331131"), "bad-date", "validUntil"],
    ["all zeros", new Uint8Array(TEXT_BYTES), "unknown-sex", "sex"],
  ];
  for (const [label, text, reason, field] of cases) {
    test(label, () => {
      const result = parseCardText(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.reason).toBe(reason as typeof result.reason);
        expect(result.field).toBe(field);
        expect(result.message).not.toContain("1980");
      }
    });
  }
});
