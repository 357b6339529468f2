/**
 * The residence permit for Hong Kong, Macau and Taiwan residents
 * (港澳台居民居住证, card-type letter `J`), spec §6.3: offsets 0–219 as the
 * resident card (the nation field is blank), then the pass number and the
 * issue count.
 */
import { HMT_EXTRA_FIELDS } from "./constants.ts";
import { readResidentLayout, type ResidentLayoutFields } from "./resident-card.ts";
import { readTextField, type CardTextFailure } from "./text-field.ts";

/** Text of an HK/Macau/Taiwan residence permit. */
export interface HmtResidencePermit extends ResidentLayoutFields {
  readonly cardType: "hmt-residence";
  /** 通行证号码: the HK/Macau or Taiwan travel-permit number, e.g. `H12345678`. */
  readonly passNumber: string;
  /** 签发次数: two digits as on the card, e.g. `01`. */
  readonly issueCount: string;
}

/** Result of {@linkcode parseHmtResidencePermit}. */
export type HmtResidencePermitResult = { readonly ok: true; readonly card: HmtResidencePermit } | CardTextFailure;

/** Parses the 256-byte text of a `J` residence permit. */
export function parseHmtResidencePermit(text: Uint8Array): HmtResidencePermitResult {
  const layout = readResidentLayout(text);
  if (!layout.ok) return layout;
  return {
    ok: true,
    card: {
      cardType: "hmt-residence",
      ...layout.fields,
      passNumber: readTextField(text, HMT_EXTRA_FIELDS.passNumber),
      issueCount: readTextField(text, HMT_EXTRA_FIELDS.issueCount),
    },
  };
}
