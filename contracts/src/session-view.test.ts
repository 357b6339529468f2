import { describe, expect, test } from "bun:test";
import { REFERRAL_CODE_PATTERN, SESSION_PHASES, SESSION_PROMPT_KEYS, SESSION_STEPS, sessionViewSchema } from "./session-view.ts";

const common = { language: "zh", phaseIndex: 3, phaseCount: 6, countdown: null } as const;
const face = { step: "face", ...common, card: { cardType: "resident", maskedIdNumber: "1101********002X" }, attempt: 1, maxAttempts: 3, guidance: "too-far", challenge: null } as const;

describe("sessionViewSchema", () => {
  test("accepts a face view", () => {
    expect(sessionViewSchema.parse(face)).toEqual(face);
  });

  test("refuses a whole ID number where the masked one belongs", () => {
    expect(sessionViewSchema.safeParse({ ...face, card: { ...face.card, maskedIdNumber: "11010519491231002X" } }).success).toBe(false);
  });

  test("refuses an unknown step, guidance or referral code", () => {
    expect(sessionViewSchema.safeParse({ ...face, step: "lobby" }).success).toBe(false);
    expect(sessionViewSchema.safeParse({ ...face, guidance: "smile" }).success).toBe(false);
    const result = { step: "result", ...common, kind: "referral", outcome: "declined", cardRejections: [], attemptFailures: [] };
    expect(sessionViewSchema.safeParse({ ...result, referralCode: "1234567" }).success).toBe(true);
    expect(sessionViewSchema.safeParse({ ...result, referralCode: "ABC1234" }).success).toBe(false);
  });

  test("refuses an out-of-service view without a fault", () => {
    expect(sessionViewSchema.safeParse({ step: "out-of-service", ...common, phaseIndex: null, faults: [] }).success).toBe(false);
  });
});

describe("the session's vocabulary", () => {
  test("has each prompt key once", () => {
    expect(new Set(SESSION_PROMPT_KEYS).size).toBe(SESSION_PROMPT_KEYS.length);
  });

  test("puts every phase's steps in journey order, each step in one phase at most", () => {
    const phased = Object.values(SESSION_PHASES).flat();
    expect(new Set(phased).size).toBe(phased.length);
    const order = phased.map((step) => SESSION_STEPS.indexOf(step));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test("makes referral codes digits only", () => {
    expect(REFERRAL_CODE_PATTERN.test("0123456")).toBe(true);
    expect(REFERRAL_CODE_PATTERN.test("O123456")).toBe(false);
  });
});
