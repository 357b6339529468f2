/**
 * 统一社会信用代码 — GB 32100-2015 unified social credit codes (spec §7.4),
 * used on the enterprise side of the kiosk.
 *
 * 18 characters from a 31-symbol alphabet: registration-authority code (1),
 * entity-type code (1), GB/T 2260 administrative division of the registering
 * office (6), GB 11714 organisation code (9, with its own check character at
 * position 17) and a MOD 31 check character.
 */
import { idNumberFailure, type IdNumberFailure } from "./id-number-failure.ts";
import { isProvinceCode } from "./province-codes.ts";

/** Length of a unified social credit code. */
export const SOCIAL_CREDIT_CODE_LENGTH = 18;
/** The 31 allowed symbols; a symbol's value is its index (spec §7.4: no I, O, S, V, Z). */
export const SOCIAL_CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Weights 3^(i-1) mod 31 for positions 1..17 (spec §7.4).
const MOD31_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const MOD31 = 31;
// GB 11714 organisation-code check over its first 8 characters (spec §7.4).
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
const MOD11 = 11;
const ORG_CHECK_TEN = "X";
const ORG_CHECK_ELEVEN = "0";
// Letters in GB 11714 codes count from A = 10.
const LETTER_BASE_VALUE = 10;
const RADIX_36 = 36;
// Central-level bodies register under division code 100000 rather than a province.
const NATIONAL_DIVISION_PREFIX = "10";

const AUTHORITY_END = 1;
const ENTITY_TYPE_END = 2;
const DIVISION_END = 8;
const PROVINCE_END = 4;
const ORG_CODE_END = 17;

interface AuthorityInfo {
  readonly name: string;
  readonly entityTypes: Readonly<Record<string, string>>;
  /**
   * `true` when the entity-type list is the complete one of GB 32100-2015
   * Appendix A, so other entity types are rejected. Authorities assigned by
   * later notices are kept open: an unlisted entity type is accepted without
   * a name, because rejecting a real registered code is worse than missing
   * a typo that the check character catches anyway.
   */
  readonly closed: boolean;
}

/**
 * Registration-authority codes (登记管理部门代码) and their entity-type codes
 * (机构类别代码). 1, 5, 9 and Y are those of GB 32100-2015 Appendix A; the
 * others were assigned later by the code administration (not covered by the
 * spec, kept open).
 */
export const REGISTRATION_AUTHORITIES = {
  "1": { name: "机构编制", closed: true, entityTypes: { "1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他" } },
  "2": { name: "外交", closed: false, entityTypes: { "1": "外国常驻新闻机构", "9": "其他" } },
  "3": { name: "司法行政", closed: false, entityTypes: { "1": "律师执业机构", "2": "公证处", "3": "基层法律服务所", "4": "司法鉴定机构", "5": "仲裁委员会", "9": "其他" } },
  "4": { name: "文化", closed: false, entityTypes: { "1": "外国在华文化中心", "9": "其他" } },
  "5": { name: "民政", closed: false, entityTypes: { "1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他" } },
  "6": { name: "旅游", closed: false, entityTypes: { "1": "外国旅游部门常驻代表机构", "2": "港澳台地区旅游部门常驻内地（大陆）代表机构", "9": "其他" } },
  "7": { name: "宗教", closed: false, entityTypes: { "1": "宗教活动场所", "2": "宗教院校", "9": "其他" } },
  "8": { name: "工会", closed: false, entityTypes: { "1": "基层工会", "9": "其他" } },
  "9": { name: "工商", closed: true, entityTypes: { "1": "企业", "2": "个体工商户", "3": "农民专业合作社" } },
  "A": { name: "中央军委改革和编制办公室", closed: false, entityTypes: { "1": "军队事业单位", "9": "其他" } },
  "N": { name: "农业", closed: false, entityTypes: { "1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他" } },
  "Y": { name: "其他", closed: true, entityTypes: { "1": "其他" } },
} as const satisfies Record<string, AuthorityInfo>;

/** A registration-authority code listed in {@linkcode REGISTRATION_AUTHORITIES}. */
export type RegistrationAuthorityCode = keyof typeof REGISTRATION_AUTHORITIES;

/** A valid unified social credit code split into its parts. */
export interface SocialCreditCode {
  readonly ok: true;
  readonly code: string;
  readonly registrationAuthority: { readonly code: RegistrationAuthorityCode; readonly name: string };
  /** `name` is absent for an entity type that an open authority has but this table does not list. */
  readonly entityType: { readonly code: string; readonly name?: string };
  /** Six-digit administrative division of the registering office. */
  readonly divisionCode: string;
  /** Nine-character GB 11714 organisation code (主体标识码). */
  readonly organizationCode: string;
  /**
   * Whether the organisation code's own GB 11714 check character matches.
   * Reported, not enforced: codes of some entity types (e.g. individual
   * businesses) are assigned without a GB 11714 organisation code.
   */
  readonly organizationCodeValid: boolean;
  readonly checkChar: string;
}

/** Result of {@linkcode parseSocialCreditCode}. */
export type SocialCreditCodeResult = SocialCreditCode | IdNumberFailure;

/**
 * Computes the MOD 31 check character of the first 17 characters of a
 * unified social credit code.
 *
 * @throws {TypeError} when `first17` is not 17 characters of the alphabet.
 */
export function socialCreditCheckChar(first17: string): string {
  if (first17.length !== MOD31_WEIGHTS.length) throw new TypeError(`Cannot compute a social credit check character: expected 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < MOD31_WEIGHTS.length; i++) {
    const value = SOCIAL_CREDIT_CODE_ALPHABET.indexOf(first17[i] ?? "");
    if (value < 0) throw new TypeError(`Cannot compute a social credit check character: character ${i + 1} is outside the alphabet`);
    sum += value * (MOD31_WEIGHTS[i] ?? 0);
  }
  return SOCIAL_CREDIT_CODE_ALPHABET[(MOD31 - (sum % MOD31)) % MOD31] ?? "";
}

/**
 * Computes the GB 11714 check character of the first 8 characters of an
 * organisation code (digits and upper-case letters, A = 10).
 *
 * @returns the check character, or `undefined` when a character is not a digit or letter.
 */
export function organizationCodeCheckChar(first8: string): string | undefined {
  if (!/^[0-9A-Z]{8}$/.test(first8)) return undefined;
  let sum = 0;
  for (let i = 0; i < ORG_CODE_WEIGHTS.length; i++) {
    // parseInt in base 36 gives digits their value and letters A=10…Z=35, as GB 11714 counts them.
    const value = Number.parseInt(first8[i] ?? "", RADIX_36);
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = MOD11 - (sum % MOD11);
  if (check === LETTER_BASE_VALUE) return ORG_CHECK_TEN;
  if (check === MOD11) return ORG_CHECK_ELEVEN;
  return String(check);
}

/**
 * Parses and validates a unified social credit code: length, alphabet,
 * registration-authority and entity-type codes, division plausibility and
 * the MOD 31 check character.
 *
 * @example
 * ```ts
 * const scc = parseSocialCreditCode("91350100M000100Y43");
 * if (scc.ok) scc.entityType.name; // "企业"
 * ```
 */
export function parseSocialCreditCode(value: string): SocialCreditCodeResult {
  if (value.length !== SOCIAL_CREDIT_CODE_LENGTH) {
    return idNumberFailure("bad-length", `Invalid social credit code length "${value.length}": expected ${SOCIAL_CREDIT_CODE_LENGTH} characters`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!SOCIAL_CREDIT_CODE_ALPHABET.includes(value[i] ?? "")) {
      return idNumberFailure("bad-charset", `Invalid social credit code: character ${i + 1} is not one of "${SOCIAL_CREDIT_CODE_ALPHABET}"`);
    }
  }
  const authorityCode = value.slice(0, AUTHORITY_END);
  if (!isAuthorityCode(authorityCode)) {
    return idNumberFailure("bad-registration-authority", `Invalid social credit code: registration-authority code "${authorityCode}" is not assigned`);
  }
  const authority: AuthorityInfo = REGISTRATION_AUTHORITIES[authorityCode];
  const entityTypeCode = value.slice(AUTHORITY_END, ENTITY_TYPE_END);
  const entityTypeName = authority.entityTypes[entityTypeCode];
  if (entityTypeName === undefined && authority.closed) {
    return idNumberFailure("bad-entity-type", `Invalid social credit code: entity type "${entityTypeCode}" is not assigned under authority "${authorityCode}"`);
  }
  const divisionCode = value.slice(ENTITY_TYPE_END, DIVISION_END);
  const province = value.slice(ENTITY_TYPE_END, PROVINCE_END);
  if (!/^\d{6}$/.test(divisionCode) || !(isProvinceCode(province) || province === NATIONAL_DIVISION_PREFIX)) {
    return idNumberFailure("bad-region", `Invalid social credit code: division code "${divisionCode}" is not a known administrative division`);
  }
  const checkChar = value.slice(ORG_CODE_END);
  if (socialCreditCheckChar(value.slice(0, ORG_CODE_END)) !== checkChar) {
    return idNumberFailure("bad-check-digit", "Invalid social credit code: the check character does not match");
  }
  const organizationCode = value.slice(DIVISION_END, ORG_CODE_END);
  return {
    ok: true,
    code: value,
    registrationAuthority: { code: authorityCode, name: authority.name },
    entityType: entityTypeName === undefined ? { code: entityTypeCode } : { code: entityTypeCode, name: entityTypeName },
    divisionCode,
    organizationCode,
    organizationCodeValid: organizationCodeCheckChar(organizationCode.slice(0, -1)) === organizationCode.slice(-1),
    checkChar,
  };
}

function isAuthorityCode(code: string): code is RegistrationAuthorityCode {
  return Object.hasOwn(REGISTRATION_AUTHORITIES, code);
}
