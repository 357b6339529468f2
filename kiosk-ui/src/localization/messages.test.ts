/**
 * Message coverage: every text the UI shows by `msg()` id has its English
 * template, and every code of the session view (outcomes, faults, matter
 * kinds, roles, card types, phases, and the codes the voice captions speak)
 * has a text of its own in both languages.
 */
import {
  ATTEMPT_FAILURES,
  CARD_REJECTIONS,
  CHALLENGE_ACTIONS,
  GUIDANCE_CODES,
  MATTER_KINDS,
  PERSON_ROLES,
  RESULT_KINDS,
  SESSION_DEVICES,
  SESSION_LANGUAGES,
  SESSION_PHASES,
  VERIFICATION_OUTCOMES,
  type SessionPhase,
} from "@kiosk/contracts";
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { templates } from "./en.ts";
import {
  attemptFailureText,
  cardRejectionText,
  cardTypeText,
  challengeText,
  faultText,
  guidanceText,
  matterKindText,
  outcomeText,
  phaseText,
  roleText,
  type CardType,
} from "./texts.ts";

const SRC = join(import.meta.dir, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "testing" ? [] : sources(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function usedIds(): Set<string> {
  const ids = new Set<string>();
  for (const file of sources(SRC)) {
    for (const match of readFileSync(file, "utf8").matchAll(/\{ id: "([a-z0-9.-]+)" \}\)/g)) ids.add(match[1] as string);
  }
  return ids;
}

function distinctAndFilled(texts: readonly string[]): void {
  for (const text of texts) expect(text.trim()).not.toBe("");
  expect(new Set(texts).size).toBe(texts.length);
}

describe("English templates", () => {
  test("every msg() id of the UI has an English text, and none is left over", () => {
    const used = usedIds();
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((id) => !(id in templates))).toEqual([]);
    expect(Object.keys(templates).filter((id) => !used.has(id))).toEqual([]);
  });
});

describe("texts of the session's codes", () => {
  test("each outcome, fault, matter kind, role, card type and phase has its own text", () => {
    distinctAndFilled(Object.values(VERIFICATION_OUTCOMES).map(outcomeText));
    distinctAndFilled([...SESSION_DEVICES, "server" as const].map(faultText));
    distinctAndFilled(MATTER_KINDS.map(matterKindText));
    distinctAndFilled(PERSON_ROLES.map(roleText));
    distinctAndFilled((["resident", "hmt-residence", "foreign-permanent-2017"] satisfies CardType[]).map(cardTypeText));
    distinctAndFilled((Object.keys(SESSION_PHASES) as SessionPhase[]).map(phaseText));
  });

  test("each guidance code, challenge, attempt failure and card rejection has its own text in both languages", () => {
    for (const lang of SESSION_LANGUAGES) {
      distinctAndFilled(GUIDANCE_CODES.map((code) => guidanceText(code, lang)));
      distinctAndFilled(CHALLENGE_ACTIONS.map((action) => challengeText(action, lang)));
      distinctAndFilled(ATTEMPT_FAILURES.map((reason) => attemptFailureText(reason, lang)));
      distinctAndFilled(CARD_REJECTIONS.map((reason) => cardRejectionText(reason, lang)));
    }
  });

  test("each result kind has a title in both languages, the two pass and referral titles exactly as agreed", () => {
    const result = readFileSync(join(SRC, "screens", "ks-screen-result.ts"), "utf8");
    for (const kind of RESULT_KINDS) expect(result).toContain(`{ id: "result.${kind}" }`);
    expect(result).toContain('msg("核验通过", { id: "result.verified" })');
    expect(result).toContain('msg("请到窗口办理", { id: "result.referral" })');
    expect(templates["result.verified"]).toBe("Verified");
    expect(templates["result.referral"]).toBe("Please go to a staff window");
  });
});
