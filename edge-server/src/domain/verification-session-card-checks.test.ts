import { describe, expect, test } from "bun:test";
import { checkCard } from "@kiosk/device";
import { BLOCKLIST_REASONS } from "@kiosk/contracts";
import { BLOCKLIST_REJECTIONS, cardRejections } from "./verification-session-card-checks.ts";

const clean = { problems: [], blocklist: { listed: false, reason: null }, photoDecoded: true } as const;

describe("cardRejections", () => {
  test("is empty for a good card", () => {
    expect(cardRejections(clean)).toEqual([]);
  });

  test("takes checkCard's problems as they are", () => {
    // A card the checks refuse twice: expired, and its holder is 16 on the day.
    const card = { cardType: "resident", idNumber: "11010520100101001X", sex: "male", birthDate: "2010-01-01", validFrom: "2020-01-01", validUntil: "2025-01-01" };
    const problems = checkCard(card as unknown as Parameters<typeof checkCard>[0], { today: "2026-05-01", minAgeYears: 18 });
    expect(cardRejections({ ...clean, problems })).toEqual(problems.map((p) => p.type));
    expect(problems.map((p) => p.type)).toEqual(expect.arrayContaining(["expired", "under-age"]));
  });

  test.each(BLOCKLIST_REASONS)("names a card listed as %s", (reason) => {
    expect(cardRejections({ ...clean, blocklist: { listed: true, reason } })).toEqual([BLOCKLIST_REJECTIONS[reason]]);
  });

  test("counts a card listed without a reason as invalidated, and ignores the reason of one not listed", () => {
    expect(cardRejections({ ...clean, blocklist: { listed: true, reason: null } })).toEqual(["card-invalidated"]);
    expect(cardRejections({ ...clean, blocklist: { listed: false, reason: "stolen" } })).toEqual([]);
  });

  test("adds an undecodable photo, keeping every reason once", () => {
    expect(
      cardRejections({ problems: [{ type: "expired" }, { type: "expired" }], blocklist: { listed: true, reason: "lost" }, photoDecoded: false }),
    ).toEqual(["expired", "photo-undecodable", "reported-lost"]);
  });
});
