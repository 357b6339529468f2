/**
 * Card files for the reader simulator: a `CARD.json` that describes one card
 * with the same field names as the JSON `./kiosk idcard decode` prints, plus
 * a photo file next to it.
 *
 * ```json
 * {
 *   "cardType": "resident",
 *   "name": "周明远", "sex": "male", "ethnicityCode": "01", "birthDate": "1992-03-14",
 *   "address": "北京市朝阳区示例路１８号", "idNumber": "110105199203140379",
 *   "issuer": "北京市公安局朝阳分局", "validFrom": "2021-05-10", "validUntil": "2041-05-10",
 *   "photo": "resident-zhou-mingyuan.webp"
 * }
 * ```
 *
 * Fields by `cardType` (dates ISO `YYYY-MM-DD`; `validUntil` may be `long-term`;
 * `sex` is `male` or `female`):
 * - `resident`: name, sex, ethnicityCode (GB 3304, two digits), birthDate,
 *   address, idNumber, issuer, validFrom, validUntil (`ethnicity`, the
 *   derived name, may be present and is ignored);
 * - `hmt-residence`: name, sex, birthDate, address, idNumber, issuer,
 *   validFrom, validUntil, passNumber, issueCount;
 * - `foreign-permanent-2017`: nameEn, name (may be empty), sex, idNumber,
 *   nationality, validFrom, validUntil, birthDate, cardVersion, authorityCode;
 * - `foreign-permanent-2023`: name, nameEn, sex, renewalCount, birthDate,
 *   idNumber, validFrom, validUntil, nationality, previousNumberLink (may be empty).
 *
 * Every card also has `photo`: a path, relative to the JSON file, to a JPEG
 * or WebP of 102×126 pixels and at most 1024 bytes, stored as-is in the
 * chip's 1024-byte photo field and zero padded (a real chip holds a WLT
 * wavelet image there, spec §8). Optional: `appendedAddress` (the `30 03`
 * reply, spec §5.3), `fingerprintBytes` (0, 512 or 1024: the size of the
 * made-up templates returned by `30 10`, spec §5.2), and `comment`.
 */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { padPhoto } from "../protocol/base-message-encoder.ts";
import { sniffPhotoFormat } from "../protocol/base-message.ts";
import type { CardText } from "../protocol/card-text.ts";
import { encodeCardText } from "../protocol/card-text-encoder.ts";
import { APPENDED_ADDRESS_BYTES, FINGERPRINT_LENGTHS, PHOTO_BYTES, UCS2_BYTES } from "../protocol/constants.ts";
import type { SimulatedCard } from "./reader-responder.ts";

/** Width and height of a chip photo (spec §8). */
export const CHIP_PHOTO_SIZE = { width: 102, height: 126 } as const;

/** A card file after checking. */
export interface CardFile {
  readonly card: CardText;
  /** Absolute path of the photo file. */
  readonly photoPath: string;
  readonly appendedAddress?: string;
  readonly fingerprintBytes: number;
  /** A short description for demo controls (whose card, what is special about it). */
  readonly label?: string;
}

/** A card file with its photo loaded, ready for the simulator. */
export interface LoadedCard extends CardFile {
  /** The photo file's bytes, unpadded. */
  readonly photo: Uint8Array;
  /** What the simulated chip holds. */
  readonly simulated: SimulatedCard;
}

const COMMON_KEYS = ["cardType", "sex", "birthDate", "idNumber", "validFrom", "validUntil", "photo", "appendedAddress", "fingerprintBytes", "label", "comment"];
const FIELDS_BY_TYPE = {
  "resident": ["name", "ethnicityCode", "address", "issuer"],
  "hmt-residence": ["name", "address", "issuer", "passNumber", "issueCount"],
  "foreign-permanent-2017": ["nameEn", "name", "nationality", "cardVersion", "authorityCode"],
  "foreign-permanent-2023": ["name", "nameEn", "renewalCount", "nationality", "previousNumberLink"],
} as const satisfies Record<CardText["cardType"], readonly string[]>;
// Keys allowed besides the card's fields: the decode JSON's derived ethnicity name.
const IGNORED_KEYS: Readonly<Partial<Record<CardText["cardType"], readonly string[]>>> = { resident: ["ethnicity"] };
const SEXES: readonly string[] = ["male", "female"];
const MAX_LABEL_CHARS = 80;
// Fingerprint template bytes are made up; a fixed pattern keeps them stable.
const FINGERPRINT_FILL = 0x5a;

/**
 * Checks a parsed `CARD.json` and builds the typed card, collecting every
 * problem before failing.
 *
 * @param baseDir directory the `photo` path is relative to.
 * @throws {SyntaxError} listing every problem; messages name fields, never their values.
 */
export function parseCardFile(json: unknown, baseDir: string): CardFile {
  const problems: string[] = [];
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new SyntaxError("Invalid card file: expected a JSON object");
  const raw = json as Record<string, unknown>;
  const cardType = raw["cardType"];
  if (typeof cardType !== "string" || !Object.hasOwn(FIELDS_BY_TYPE, cardType)) {
    throw new SyntaxError(`Invalid card file: "cardType" must be one of ${Object.keys(FIELDS_BY_TYPE).join(", ")}`);
  }
  const type = cardType as CardText["cardType"];
  const allowed = new Set([...COMMON_KEYS, ...FIELDS_BY_TYPE[type], ...(IGNORED_KEYS[type] ?? [])]);
  for (const key of Object.keys(raw)) if (!allowed.has(key)) problems.push(`unknown field "${key}" for a ${type} card`);

  const text = (key: string): string => {
    const value = raw[key];
    if (typeof value !== "string") {
      problems.push(`"${key}" must be a string`);
      return "";
    }
    return value;
  };
  const sex = text("sex");
  if (sex !== "" && !SEXES.includes(sex)) problems.push(`"sex" must be "male" or "female"`);
  const fields: Record<string, string> = { cardType: type };
  for (const key of ["sex", "birthDate", "idNumber", "validFrom", "validUntil", ...FIELDS_BY_TYPE[type]]) fields[key] = text(key);
  const photo = text("photo");
  if (photo === "") problems.push(`"photo" must name the photo file`);

  const appended = raw["appendedAddress"];
  if (appended !== undefined && (typeof appended !== "string" || appended.length * UCS2_BYTES > APPENDED_ADDRESS_BYTES)) {
    problems.push(`"appendedAddress" must be a string of at most ${APPENDED_ADDRESS_BYTES / UCS2_BYTES} characters`);
  }
  const label = raw["label"];
  if (label !== undefined && (typeof label !== "string" || label.length > MAX_LABEL_CHARS)) problems.push(`"label" must be a string of at most ${MAX_LABEL_CHARS} characters`);
  const fingerprintBytes = raw["fingerprintBytes"] ?? 0;
  if (typeof fingerprintBytes !== "number" || !FINGERPRINT_LENGTHS.includes(fingerprintBytes)) {
    problems.push(`"fingerprintBytes" must be one of ${FINGERPRINT_LENGTHS.join(", ")}`);
  }

  const card = fields as unknown as CardText;
  if (problems.length === 0) {
    try {
      // The encoder checks lengths, dates and characters exactly as the chip needs them.
      encodeCardText(card);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new SyntaxError(`Invalid card file: ${problems.join("; ")}`);
  return {
    card,
    photoPath: isAbsolute(photo) ? photo : resolve(baseDir, photo),
    ...(typeof appended === "string" ? { appendedAddress: appended } : {}),
    fingerprintBytes: fingerprintBytes as number,
    ...(typeof label === "string" ? { label } : {}),
  };
}

/**
 * Reads a `CARD.json` and its photo and builds what the simulated chip holds.
 *
 * @throws {SyntaxError} for an invalid file or photo (the message says why).
 * @throws {Error} with `code` `ENOENT` etc. when a file cannot be read.
 */
export async function loadCardFile(path: string): Promise<LoadedCard> {
  const text = await readFile(path, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`Invalid card file "${path}": not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const file = parseCardFile(json, dirname(path));
  const photo = new Uint8Array(await readFile(file.photoPath));
  checkPhoto(photo, file.photoPath);
  return {
    ...file,
    photo,
    simulated: {
      text: encodeCardText(file.card),
      photo: padPhoto(photo),
      fingerprint: new Uint8Array(file.fingerprintBytes).fill(FINGERPRINT_FILL),
      ...(file.appendedAddress === undefined ? {} : { appendedAddress: file.appendedAddress }),
    },
  };
}

/**
 * Checks that a photo can stand in for a chip photo: JPEG or WebP, at most
 * 1024 bytes, 102×126 pixels.
 *
 * @throws {SyntaxError} saying what is wrong.
 */
export function checkPhoto(photo: Uint8Array, name: string): void {
  if (photo.length > PHOTO_BYTES) throw new SyntaxError(`Photo "${name}" has ${photo.length} bytes: the chip's photo field holds at most ${PHOTO_BYTES}`);
  const format = sniffPhotoFormat(photo);
  if (format !== "jpeg" && format !== "webp") throw new SyntaxError(`Photo "${name}" is not a JPEG or WebP file`);
  const size = imageSize(photo, format);
  if (!size) throw new SyntaxError(`Photo "${name}": cannot read the ${format} header`);
  if (size.width !== CHIP_PHOTO_SIZE.width || size.height !== CHIP_PHOTO_SIZE.height) {
    throw new SyntaxError(`Photo "${name}" is ${size.width}×${size.height}: a chip photo is ${CHIP_PHOTO_SIZE.width}×${CHIP_PHOTO_SIZE.height}`);
  }
}

/** The folder of the demo cards shipped with the simulator. */
export const DEMO_CARDS_DIR = fileURLToPath(new URL("./demo-cards/", import.meta.url));

/**
 * The demo cards, by short name: one valid card of each type, an expired
 * resident card, and a resident card that `./kiosk demo` puts on central's
 * blocklist as lost.
 */
export const DEMO_CARDS = {
  "resident": "resident-zhou-mingyuan.json",
  "hmt-residence": "hmt-chen-jiaxin.json",
  "foreign-2017": "foreign-2017-oliver-hartley.json",
  "foreign-2023": "foreign-2023-claire-dubois.json",
  "expired": "resident-expired-li-guohua.json",
  "lost": "resident-lost-wang-xiaomei.json",
} as const;

/** One of {@linkcode DEMO_CARDS}. */
export type DemoCardName = keyof typeof DEMO_CARDS;

/** The demo card the simulator uses when no card file is given. */
export const DEFAULT_DEMO_CARD: DemoCardName = "resident";

/** Absolute path of a demo card's JSON file. */
export function demoCardPath(name: DemoCardName = DEFAULT_DEMO_CARD): string {
  return join(DEMO_CARDS_DIR, DEMO_CARDS[name]);
}

// ---------------------------------------------------------------------------
// Image headers: just enough to read the pixel size of a JPEG or WebP.
// ---------------------------------------------------------------------------

function u16be(b: Uint8Array, i: number): number {
  return ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
}

function u16le(b: Uint8Array, i: number): number {
  return (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
}

function u24le(b: Uint8Array, i: number): number {
  return u16le(b, i) | ((b[i + 2] ?? 0) << 16);
}

function ascii(b: Uint8Array, i: number, n: number): string {
  return String.fromCharCode(...b.subarray(i, i + n));
}

// JPEG: walk the marker segments to the first start-of-frame (SOF0–SOF15,
// except DHT C4, JPG C8 and DAC CC), which holds height then width.
const JPEG_SOI_BYTES = 2;
const JPEG_MARKER = 0xff;
const JPEG_SOF_FIRST = 0xc0;
const JPEG_SOF_LAST = 0xcf;
const JPEG_NOT_SOF: ReadonlySet<number> = new Set([0xc4, 0xc8, 0xcc]);
// WebP chunk layouts (RIFF container, "WEBP", then a VP8/VP8L/VP8X chunk at 12).
const WEBP_CHUNK_OFFSET = 12;
const VP8_SIZE_OFFSET = 26;
const VP8_DIMENSION_MASK = 0x3fff;
const VP8L_SIZE_OFFSET = 21;
const VP8L_BITS = 14;
const VP8X_WIDTH_OFFSET = 24;
const VP8X_HEIGHT_OFFSET = 27;

function imageSize(b: Uint8Array, format: "jpeg" | "webp"): { width: number; height: number } | undefined {
  if (format === "jpeg") {
    let i = JPEG_SOI_BYTES;
    while (i + 9 <= b.length) {
      if (b[i] !== JPEG_MARKER) return undefined;
      const marker = b[i + 1] ?? 0;
      if (marker >= JPEG_SOF_FIRST && marker <= JPEG_SOF_LAST && !JPEG_NOT_SOF.has(marker)) {
        return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
      }
      i += 2 + u16be(b, i + 2);
    }
    return undefined;
  }
  const chunk = ascii(b, WEBP_CHUNK_OFFSET, 4);
  if (chunk === "VP8 ") return { width: u16le(b, VP8_SIZE_OFFSET) & VP8_DIMENSION_MASK, height: u16le(b, VP8_SIZE_OFFSET + 2) & VP8_DIMENSION_MASK };
  if (chunk === "VP8L") {
    const bits = ((b[VP8L_SIZE_OFFSET] ?? 0) | ((b[VP8L_SIZE_OFFSET + 1] ?? 0) << 8) | ((b[VP8L_SIZE_OFFSET + 2] ?? 0) << 16) | ((b[VP8L_SIZE_OFFSET + 3] ?? 0) << 24)) >>> 0;
    const mask = (1 << VP8L_BITS) - 1;
    return { width: (bits & mask) + 1, height: ((bits >>> VP8L_BITS) & mask) + 1 };
  }
  if (chunk === "VP8X") return { width: u24le(b, VP8X_WIDTH_OFFSET) + 1, height: u24le(b, VP8X_HEIGHT_OFFSET) + 1 };
  return undefined;
}
