/**
 * Verification results of made-up applicants for the sync harness: valid
 * `verification-result` v1 bodies whose resident ID numbers pass the
 * GB 11643 check but belong to nobody (synthetic birth dates and serials).
 */
import { mod11_2CheckChar, type Prng, VERIFICATION_OUTCOMES, type VerificationOutcome, type VerificationResult } from "@kiosk/contracts";

const SURNAMES = ["测", "试", "模", "拟", "样"] as const;
const GIVEN = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛"] as const;
const OUTCOMES = Object.values(VERIFICATION_OUTCOMES) as VerificationOutcome[];

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * A synthetic result for `kioskId`, stamped with `nowMs` (the kiosk clock,
 * which may be wrong on purpose). `random` only varies the person, so the
 * bodies differ; the session id is always fresh.
 */
export function syntheticResult(kioskId: string, random: Prng, nowMs: number): VerificationResult {
  const year = random.int(1950, 2005);
  const month = random.int(1, 12);
  const day = random.int(1, 28);
  const sexDigit = random.int(0, 9);
  const first17 = `110105${year}${pad(month, 2)}${pad(day, 2)}${pad(random.int(0, 99), 2)}${sexDigit}`;
  const outcome = random.pick(OUTCOMES);
  const started = new Date(nowMs - random.int(30_000, 180_000)).toISOString();
  return {
    sessionId: crypto.randomUUID(),
    kioskId,
    outcome,
    ...(outcome === VERIFICATION_OUTCOMES.verified ? {} : { referralCode: `R${pad(random.int(0, 99_999), 5)}` }),
    card: {
      cardType: "resident",
      idNumber: `${first17}${mod11_2CheckChar(first17)}`,
      name: `${random.pick(SURNAMES)}${random.pick(GIVEN)}${random.pick(GIVEN)}`,
      sex: sexDigit % 2 === 1 ? "male" : "female",
      birthDate: `${year}-${pad(month, 2)}-${pad(day, 2)}`,
      validUntil: "long-term",
    },
    face: { model: "sync-chaos", similarity: Math.round(random.next() * 1000) / 1000, threshold: 0.6, livenessPassed: random.chance(0.9) },
    matters: [{ matterId: `M-CHAOS-${pad(random.int(0, 9999), 4)}`, role: "legal-representative" }],
    startedAt: started,
    completedAt: new Date(nowMs).toISOString(),
  };
}
