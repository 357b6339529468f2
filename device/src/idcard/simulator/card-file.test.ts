import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkCard } from "../card-checks.ts";
import { parseCardText } from "../protocol/card-text.ts";
import { PHOTO_BYTES } from "../protocol/constants.ts";
import { checkPhoto, DEMO_CARDS, DEMO_CARDS_DIR, demoCardPath, loadCardFile, parseCardFile, type DemoCardName } from "./card-file.ts";

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kiosk-card-file-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The start of a baseline JPEG: SOI, then a SOF0 segment giving height and width. */
function jpegHeader(width: number, height: number): Uint8Array {
  return Uint8Array.of(0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

const RESIDENT = {
  cardType: "resident",
  name: "测试",
  sex: "female",
  ethnicityCode: "01",
  birthDate: "1990-01-01",
  address: "北京市示例路",
  idNumber: "110101199001010028",
  issuer: "北京市公安局",
  validFrom: "2020-01-01",
  validUntil: "long-term",
  photo: "face.jpg",
};

describe("demo cards", () => {
  for (const name of Object.keys(DEMO_CARDS) as DemoCardName[]) {
    test(`${name}: loads, round-trips through the chip text, and passes the kiosk's card checks`, async () => {
      const loaded = await loadCardFile(demoCardPath(name));
      const parsed = parseCardText(loaded.simulated.text);
      expect(parsed.ok && parsed.card).toEqual(loaded.card.cardType === "resident" ? { ...loaded.card, ethnicity: "汉" } : loaded.card);
      expect(loaded.simulated.photo.length).toBe(PHOTO_BYTES);
      expect(loaded.photo.length).toBeLessThanOrEqual(PHOTO_BYTES);
      const problems = checkCard(loaded.card, { today: "2026-06-01", minAgeYears: 18 }).map((problem) => problem.type);
      expect(problems).toEqual(name === "expired" ? ["expired"] : []);
    });
  }

  test("one card of each type, plus two more resident cards (expired, lost); the default is the resident card", async () => {
    const types = await Promise.all(Object.keys(DEMO_CARDS).map(async (n) => (await loadCardFile(demoCardPath(n as DemoCardName))).card.cardType));
    expect(types.sort()).toEqual(["foreign-permanent-2017", "foreign-permanent-2023", "hmt-residence", "resident", "resident", "resident"]);
    expect((await loadCardFile(demoCardPath())).card.cardType).toBe("resident");
  });

  test("ATTRIBUTION.md credits the London Set under CC BY 4.0 and lists every photo in the folder", async () => {
    const attribution = await readFile(join(DEMO_CARDS_DIR, "ATTRIBUTION.md"), "utf8");
    expect(attribution).toContain("Face Research Lab London Set");
    expect(attribution).toContain("DeBruine");
    expect(attribution).toContain("doi:10.6084/m9.figshare.5047666.v5");
    expect(attribution).toContain("CC BY 4.0");
    const photos = (await readdir(DEMO_CARDS_DIR)).filter((f) => !f.endsWith(".json") && !f.endsWith(".md"));
    expect(photos.length).toBe(6);
    for (const photo of photos) expect(attribution).toContain(`\`${photo}\``);
    expect(new Set(attribution.match(/london_\d{3}/g)).size).toBe(6);
  });
});

describe("parseCardFile", () => {
  test("resolves the photo relative to the card file and keeps the optional fields", () => {
    const file = parseCardFile({ ...RESIDENT, appendedAddress: "上海", fingerprintBytes: 512, ethnicity: "汉", comment: "x", label: "Test card" }, "/cards");
    expect(file.photoPath).toBe("/cards/face.jpg");
    expect(file.label).toBe("Test card");
    expect(() => parseCardFile({ ...RESIDENT, label: "x".repeat(81) }, "/cards")).toThrow('"label" must be a string of at most 80 characters');
    expect(file.appendedAddress).toBe("上海");
    expect(file.fingerprintBytes).toBe(512);
    expect(file.card).toEqual({ ...RESIDENT, photo: undefined, ethnicity: undefined, label: undefined, cardType: "resident" } as never);
  });

  test("collects every problem, naming fields and never their values", () => {
    let message = "";
    try {
      parseCardFile({ ...RESIDENT, sex: "x", idNumber: 110101, passNumber: "H1", fingerprintBytes: 3 }, "/");
    } catch (error) {
      expect(error).toBeInstanceOf(SyntaxError);
      message = (error as Error).message;
    }
    expect(message).toContain('unknown field "passNumber" for a resident card');
    expect(message).toContain('"sex" must be "male" or "female"');
    expect(message).toContain('"idNumber" must be a string');
    expect(message).toContain('"fingerprintBytes" must be one of 0, 512, 1024');
  });

  test("runs the encoder's checks: lengths and dates", () => {
    expect(() => parseCardFile({ ...RESIDENT, name: "长".repeat(16) }, "/")).toThrow(/Field "name" is too long/);
    expect(() => parseCardFile({ ...RESIDENT, birthDate: "1990-13-01" }, "/")).toThrow(/Invalid field "birthDate"/);
    expect(() => parseCardFile({ ...RESIDENT, cardType: "passport" }, "/")).toThrow(/"cardType" must be one of/);
    expect(() => parseCardFile([], "/")).toThrow(/expected a JSON object/);
  });
});

describe("photos", () => {
  test("a 102×126 JPEG or WebP of at most 1024 bytes is accepted", async () => {
    expect(() => checkPhoto(jpegHeader(102, 126), "ok.jpg")).not.toThrow();
    const webp = new Uint8Array(await readFile(join(DEMO_CARDS_DIR, "resident-zhou-mingyuan.webp")));
    expect(() => checkPhoto(webp, "demo.webp")).not.toThrow();
  });

  test("wrong size, too many bytes, or not an image are refused", () => {
    expect(() => checkPhoto(jpegHeader(640, 640), "big.jpg")).toThrow(/is 640×640: a chip photo is 102×126/);
    const long = new Uint8Array(PHOTO_BYTES + 1);
    long.set(jpegHeader(102, 126));
    expect(() => checkPhoto(long, "long.jpg")).toThrow(/has 1025 bytes/);
    expect(() => checkPhoto(Uint8Array.of(0x89, 0x50, 0x4e, 0x47), "x.png")).toThrow(/not a JPEG or WebP/);
  });

  test("loadCardFile reads the JSON and its photo and pads the photo into the chip field", async () => {
    await writeFile(join(dir, "face.jpg"), jpegHeader(102, 126));
    await writeFile(join(dir, "CARD.json"), JSON.stringify(RESIDENT));
    const loaded = await loadCardFile(join(dir, "CARD.json"));
    expect(loaded.simulated.photo.length).toBe(PHOTO_BYTES);
    expect([...loaded.simulated.photo.subarray(0, 4)]).toEqual([0xff, 0xd8, 0xff, 0xc0]);
    await writeFile(join(dir, "bad.json"), "{");
    await expect(loadCardFile(join(dir, "bad.json"))).rejects.toThrow(/not JSON/);
  });
});
