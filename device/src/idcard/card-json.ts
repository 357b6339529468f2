/**
 * The JSON form of a card read, as printed by `./kiosk idcard decode` and
 * later `idcard read`. Fields a card type does not have are left out; all
 * strings are trimmed of padding. The photo is summarised (format, size,
 * SHA-256), never included.
 */
import { decodeIdentityReply, type IdentityErrorReason, type IdentityRecord } from "./protocol/identity.ts";
import type { PhotoFormat } from "./protocol/base-message.ts";
import { toHex } from "./protocol/hex.ts";
import type { CardType } from "./protocol/card-text.ts";
import type { Sex } from "./protocol/text-field.ts";

/** One card as JSON. Key order is the order of the CLI output. */
export interface CardJson {
  readonly cardType: CardType;
  readonly name?: string;
  readonly nameEn?: string;
  readonly sex: Sex;
  readonly ethnicityCode?: string;
  readonly ethnicity?: string;
  /** ISO `YYYY-MM-DD`. */
  readonly birthDate: string;
  readonly address?: string;
  readonly idNumber: string;
  readonly issuer?: string;
  /** ISO `YYYY-MM-DD`. */
  readonly validFrom: string;
  /** ISO `YYYY-MM-DD` or `long-term`. */
  readonly validUntil: string;
  readonly passNumber?: string;
  readonly issueCount?: string;
  readonly nationality?: string;
  readonly photo: {
    readonly format: PhotoFormat;
    readonly bytes: number;
    /** Lower-case hex SHA-256 of the photo bytes. */
    readonly sha256: string;
    /** Decoded size in pixels, when a decoder was available and succeeded (`idcard read`). */
    readonly width?: number;
    readonly height?: number;
    /** Why decoding failed, when it was tried (`idcard read`). */
    readonly decodeError?: { readonly code: string; readonly message: string };
  };
  readonly fingerprintBytes: number;
}

/** Error codes of {@linkcode CardReplyJson}: a reason of the decoder. */
export type CardReplyErrorCode = IdentityErrorReason;

/** What the CLI prints for one reply. */
export type CardReplyJson =
  | { readonly ok: true; readonly card: CardJson }
  | { readonly ok: false; readonly error: { readonly code: CardReplyErrorCode; readonly message: string } };

/** Lower-case hex SHA-256 of `bytes`, through Web Crypto. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes.slice()));
  return toHex(digest).toLowerCase();
}

/**
 * Maps a parsed card read to its JSON form.
 *
 * @example
 * ```ts
 * const result = decodeIdentityReply(bytes);
 * if (result.ok) JSON.stringify(await identityToJson(result.identity));
 * ```
 */
export async function identityToJson(identity: IdentityRecord): Promise<CardJson> {
  const photo = { format: identity.photo.format, bytes: identity.photo.bytes.length, sha256: await sha256Hex(identity.photo.bytes) };
  const fingerprintBytes = identity.fingerprint.length;
  const card = identity.card;
  switch (card.cardType) {
    case "resident":
      return {
        cardType: card.cardType,
        name: card.name,
        sex: card.sex,
        ethnicityCode: card.ethnicityCode,
        ...(card.ethnicity === undefined ? {} : { ethnicity: card.ethnicity }),
        birthDate: card.birthDate,
        address: card.address,
        idNumber: card.idNumber,
        issuer: card.issuer,
        validFrom: card.validFrom,
        validUntil: card.validUntil,
        photo,
        fingerprintBytes,
      };
    case "hmt-residence":
      return {
        cardType: card.cardType,
        name: card.name,
        sex: card.sex,
        birthDate: card.birthDate,
        address: card.address,
        idNumber: card.idNumber,
        issuer: card.issuer,
        validFrom: card.validFrom,
        validUntil: card.validUntil,
        passNumber: card.passNumber,
        issueCount: card.issueCount,
        photo,
        fingerprintBytes,
      };
    case "foreign-permanent-2017":
    case "foreign-permanent-2023":
      return {
        cardType: card.cardType,
        name: card.name,
        nameEn: card.nameEn,
        sex: card.sex,
        birthDate: card.birthDate,
        idNumber: card.idNumber,
        validFrom: card.validFrom,
        validUntil: card.validUntil,
        nationality: card.nationality,
        photo,
        fingerprintBytes,
      };
  }
}

/**
 * Decodes bytes holding exactly one `30 01` / `30 10` reply frame into the
 * JSON the CLI prints. Never throws.
 */
export async function decodeCardReplyJson(bytes: Uint8Array): Promise<CardReplyJson> {
  const result = decodeIdentityReply(bytes);
  if (!result.ok) return { ok: false, error: { code: result.reason, message: result.message } };
  return { ok: true, card: await identityToJson(result.identity) };
}
