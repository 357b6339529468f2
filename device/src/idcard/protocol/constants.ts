/**
 * Protocol constants of the GA 467 SAM business-terminal interface used by
 * Chinese second-generation ID-card readers. Section numbers refer to
 * `specs/idcard-protocol.md`. Parsing code uses these names, never literals.
 */

// ---------------------------------------------------------------------------
// Frame layout (spec §2)
// ---------------------------------------------------------------------------

/** Start of every frame: three sync bytes `AA AA AA` then the start code `96 69` (spec §2). */
export const PREAMBLE: Readonly<Uint8Array> = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
/** Length of {@linkcode PREAMBLE} in bytes (spec §2). */
export const PREAMBLE_BYTES = 5;
/** Offset of the big-endian length high byte L1 (spec §2). */
export const LEN_HI_OFFSET = 5;
/** Offset of the length low byte L2 (spec §2). */
export const LEN_LO_OFFSET = 6;
/** Bytes before the part counted by LEN: preamble + 2 length bytes; total frame = HEADER_BYTES + LEN (spec §2). */
export const HEADER_BYTES = 7;
/** Offset of the first payload byte (CMD in a request, SW1 in a response) (spec §2). */
export const PAYLOAD_OFFSET = 7;
/** Bytes of the trailing XOR checksum (spec §2). */
export const CHECKSUM_BYTES = 1;
/** Bits to shift the high length byte (big-endian 16-bit length, spec §2). */
export const BYTE_BITS = 8;
/** Largest value of one byte. */
export const BYTE_MAX = 0xff;

/** Bytes of CMD + PARA at the start of a request payload (spec §2). */
export const REQUEST_HEADER_BYTES = 2;
/** Bytes of SW1 + SW2 + SW3 at the start of a response payload (spec §2). */
export const RESPONSE_HEADER_BYTES = 3;
/** Smallest LEN of a request: CMD + PARA + CHK (spec §2). */
export const MIN_REQUEST_LEN = REQUEST_HEADER_BYTES + CHECKSUM_BYTES;
/** Smallest LEN of a response: SW1 + SW2 + SW3 + CHK ("reject LEN < 4 for responses", spec §2). */
export const MIN_RESPONSE_LEN = RESPONSE_HEADER_BYTES + CHECKSUM_BYTES;
/** Smallest LEN of any frame; a frame-level decoder does not know the direction (spec §2). */
export const MIN_LEN = MIN_REQUEST_LEN;
/**
 * Largest whole frame accepted. No source states a maximum; the largest
 * documented reply is 2321 bytes, and the Android sample uses 4096-byte
 * buffers and rejects LEN > 4089, so 4096 is the guard (spec §2, §13 item 2).
 */
export const MAX_FRAME_BYTES = 4096;
/** Largest LEN accepted: {@linkcode MAX_FRAME_BYTES} minus the header (= 4089, spec §2). */
export const MAX_LEN = MAX_FRAME_BYTES - HEADER_BYTES;

/** Offsets of the status bytes in a response frame (spec §2). */
export const SW1_OFFSET = 7;
/** See {@linkcode SW1_OFFSET}. */
export const SW2_OFFSET = 8;
/** SAM status byte, see `status.ts` (spec §2, §4). */
export const SW3_OFFSET = 9;
/** Offsets of the command bytes in a request frame (spec §2). */
export const CMD_OFFSET = 7;
/** See {@linkcode CMD_OFFSET}. */
export const PARA_OFFSET = 8;

// ---------------------------------------------------------------------------
// Commands (spec §3)
// ---------------------------------------------------------------------------

/** One command: its CMD and PARA bytes. */
export interface CommandCode {
  readonly cmd: number;
  readonly para: number;
}

/** Commands of the SAM (spec §3). */
export const COMMANDS = {
  /** `10 FF` reset the SAM; reply SW3 90, no data (spec §3). */
  resetSam: { cmd: 0x10, para: 0xff },
  /** `11 FF` SAM status; SW3 90 ok, 60 self-test failed (spec §3). */
  samStatus: { cmd: 0x11, para: 0xff },
  /** `12 FF` read the 16-byte SAM ID (spec §3, §5.4). */
  readSamId: { cmd: 0x12, para: 0xff },
  /** `20 01` find a card; SW3 9F found, 80 none; 4 data bytes (spec §3). */
  findCard: { cmd: 0x20, para: 0x01 },
  /** `20 02` select the card; SW3 90; 8 data bytes (spec §3). */
  selectCard: { cmd: 0x20, para: 0x02 },
  /** `30 01` read text + photo; 1295-byte reply (spec §3, §5.1). */
  readBase: { cmd: 0x30, para: 0x01 },
  /** `30 03` read the newest appended address; 70 data bytes or SW3 91 (spec §3, §5.3). */
  readAppendedAddress: { cmd: 0x30, para: 0x03 },
  /** `30 10` read text + photo + fingerprint; 1297/1809/2321-byte reply (spec §3, §5.2). */
  readBaseWithFingerprint: { cmd: 0x30, para: 0x10 },
  /** `61 FF nn` set the RF adapter's maximum frame bytes; one data byte (spec §3). */
  setMaxRfBytes: { cmd: 0x61, para: 0xff },
} as const satisfies Record<string, CommandCode>;

/** Name of a command in {@linkcode COMMANDS}. */
export type CommandName = keyof typeof COMMANDS;

/** CMD byte of the baud-rate command `60 0x`; PARA selects the speed (spec §3). */
export const SET_BAUD_CMD = 0x60;
/** PARA of `60 0x` for each UART speed in bit/s (spec §3, §1.1). */
export const BAUD_RATE_PARA = {
  115200: 0x00,
  57600: 0x01,
  38400: 0x02,
  19200: 0x03,
  9600: 0x04,
} as const;
/** A UART speed the SAM can switch to. */
export type BaudRate = keyof typeof BAUD_RATE_PARA;

/** Range of the data byte of `61 FF nn` (spec §3: valid 24–255). */
export const MAX_RF_BYTES_MIN = 24;
/** See {@linkcode MAX_RF_BYTES_MIN}. */
export const MAX_RF_BYTES_MAX = 255;

/** Data bytes in the reply to `20 01` find card (chip management number, spec §3). */
export const FIND_CARD_DATA_BYTES = 4;
/** Data bytes in the reply to `20 02` select card (chip serial number, spec §3). */
export const SELECT_CARD_DATA_BYTES = 8;

// ---------------------------------------------------------------------------
// Base message: replies to 30 01 / 30 10 (spec §5)
// ---------------------------------------------------------------------------

/** Bytes of each big-endian inner length field (spec §5.1). */
export const INNER_LENGTH_BYTES = 2;
/** Inner length fields of a `30 01` reply: text, photo (spec §5.1). */
export const BASE_LENGTH_FIELDS = 2;
/** Inner length fields of a `30 10` reply: text, photo, fingerprint (spec §5.2). */
export const BASE_FP_LENGTH_FIELDS = 3;
/** Text section length: 256 bytes of UCS-2LE (spec §5.1, §6). */
export const TEXT_BYTES = 256;
/** WLT photo length (spec §5.1, §8). */
export const PHOTO_BYTES = 1024;
/** One fingerprint feature template (spec §5.2). */
export const FINGERPRINT_TEMPLATE_BYTES = 512;
/** Fingerprint lengths seen: none, one template, two templates (spec §5.2, §9). */
export const FINGERPRINT_LENGTHS: readonly number[] = [0, FINGERPRINT_TEMPLATE_BYTES, 2 * FINGERPRINT_TEMPLATE_BYTES];

/** Photo magic bytes: WLT "WLf" (spec §8). */
export const WLT_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x57, 0x4c, 0x66);
/** JPEG start-of-image plus marker prefix `FF D8 FF`. */
export const JPEG_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0xff, 0xd8, 0xff);
/** WebP container: "RIFF" at 0 and "WEBP" at 8. */
export const RIFF_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x52, 0x49, 0x46, 0x46);
/** See {@linkcode RIFF_MAGIC}. */
export const WEBP_MAGIC: Readonly<Uint8Array> = Uint8Array.of(0x57, 0x45, 0x42, 0x50);
/** Offset of "WEBP" inside a RIFF file (after "RIFF" and the 4-byte size). */
export const WEBP_MAGIC_OFFSET = 8;

// ---------------------------------------------------------------------------
// Text section (spec §6)
// ---------------------------------------------------------------------------

/** Bytes per UCS-2 code unit (spec §6). */
export const UCS2_BYTES = 2;

/** A field of the 256-byte text section: byte offset and byte length. */
export interface TextField {
  readonly offset: number;
  readonly bytes: number;
}

/** Byte offset of the card-type letter, read as one UCS-2 character (spec §6.2). */
export const CARD_TYPE_OFFSET = 248;

/** Card-type letters at {@linkcode CARD_TYPE_OFFSET}; anything else is a resident card (spec §6.2). */
export const CARD_TYPE_LETTERS = {
  /** 港澳台居民居住证 (spec §6.3). */
  hmtResidence: "J",
  /** 外国人永久居留身份证 2017 version (spec §6.4). */
  foreignPermanent2017: "I",
  /** 外国人永久居留身份证 2023 version (spec §6.5). */
  foreignPermanent2023: "Y",
} as const;

/** Resident ID card text layout (GA/T 490, spec §6.1). */
export const RESIDENT_FIELDS = {
  name: { offset: 0, bytes: 30 },
  sex: { offset: 30, bytes: 2 },
  ethnicity: { offset: 32, bytes: 4 },
  birthDate: { offset: 36, bytes: 16 },
  address: { offset: 52, bytes: 70 },
  idNumber: { offset: 122, bytes: 36 },
  issuer: { offset: 158, bytes: 30 },
  validFrom: { offset: 188, bytes: 16 },
  validUntil: { offset: 204, bytes: 16 },
} as const satisfies Record<string, TextField>;

/** Extra fields of the HK/Macau/Taiwan residence permit `J`; offsets 0–219 are as {@linkcode RESIDENT_FIELDS} (spec §6.3). */
export const HMT_EXTRA_FIELDS = {
  passNumber: { offset: 220, bytes: 18 },
  issueCount: { offset: 238, bytes: 4 },
} as const satisfies Record<string, TextField>;

/** Foreign permanent-resident card, 2017 version `I` (spec §6.4). */
export const FOREIGN_2017_FIELDS = {
  nameEn: { offset: 0, bytes: 120 },
  sex: { offset: 120, bytes: 2 },
  idNumber: { offset: 122, bytes: 30 },
  nationality: { offset: 152, bytes: 6 },
  name: { offset: 158, bytes: 30 },
  validFrom: { offset: 188, bytes: 16 },
  validUntil: { offset: 204, bytes: 16 },
  birthDate: { offset: 220, bytes: 16 },
  cardVersion: { offset: 236, bytes: 4 },
  authorityCode: { offset: 240, bytes: 8 },
} as const satisfies Record<string, TextField>;

/**
 * Foreign permanent-resident card, 2023 version `Y` (spec §6.5). The English
 * name is split: characters 1–35 at 52, characters 36–46 at 220.
 */
export const FOREIGN_2023_FIELDS = {
  name: { offset: 0, bytes: 30 },
  sex: { offset: 30, bytes: 2 },
  renewalCount: { offset: 32, bytes: 4 },
  birthDate: { offset: 36, bytes: 16 },
  nameEn: { offset: 52, bytes: 70 },
  idNumber: { offset: 122, bytes: 36 },
  validFrom: { offset: 188, bytes: 16 },
  validUntil: { offset: 204, bytes: 16 },
  nameEnContinued: { offset: 220, bytes: 22 },
  nationality: { offset: 242, bytes: 6 },
  previousNumberLink: { offset: 250, bytes: 6 },
} as const satisfies Record<string, TextField>;

/** Valid-until text of long-term cards: `长期` (`7F 95 1F 67`), then spaces (spec §6.1). */
export const LONG_TERM_TEXT = "长期";

/** GB/T 2261.1 sex codes used on cards (spec §6.1). */
export const SEX_CODES = {
  "1": "male",
  "2": "female",
} as const;

// ---------------------------------------------------------------------------
// Other replies
// ---------------------------------------------------------------------------

/** Data bytes of the `30 03` appended-address reply: 35 UCS-2 characters (spec §5.3). */
export const APPENDED_ADDRESS_BYTES = 70;
/** Data bytes of the `12 FF` SAM-ID reply (spec §5.4). */
export const SAM_ID_BYTES = 16;

// ---------------------------------------------------------------------------
// USB HID (spec §10.1)
// ---------------------------------------------------------------------------

/** Size of one HID report carrying frame bytes, zero padded (spec §10.1). */
export const HID_REPORT_BYTES = 64;
