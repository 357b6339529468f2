import { describe, expect, test } from "bun:test";
import type { Matter } from "@kiosk/contracts";
import { PENDING_MATTER_MAX_AGE_MS, pendingMatters } from "./verification-session-matters.ts";

const HOLDER = "11010519491231002X";
const OTHER = "110101198001010053";
const NOW = Date.parse("2026-12-08T01:00:00.000Z");
const DAY = 24 * 60 * 60 * 1000;

function matter(matterId: string, ageMs: number, persons: Matter["persons"], extra: Partial<Matter> = {}): Matter {
  return { matterId, kind: "establishment", companyName: `公司 ${matterId}`, hallId: "hall-7", status: "open", persons, updatedAt: new Date(NOW - ageMs).toISOString(), ...extra };
}

const query = { cardNumber: HOLDER, hallId: "hall-7", nowMs: NOW };

describe("pendingMatters", () => {
  test("lists the holder's open matters of the hall from the last 7 days with every role once, newest first", () => {
    const matters = [
      matter("M-old", 2 * DAY, [{ idNumber: HOLDER, name: "张三丰", role: "director" }]),
      matter("M-new", 1 * DAY, [
        { idNumber: HOLDER, name: "张三丰", role: "legal-representative" },
        { idNumber: OTHER, name: "李四", role: "supervisor" },
        { idNumber: HOLDER, name: "张三丰", role: "shareholder" },
        { idNumber: HOLDER, name: "张三丰", role: "shareholder" },
      ]),
    ];
    expect(pendingMatters(matters, query)).toEqual([
      { matterId: "M-new", companyName: "公司 M-new", kind: "establishment", roles: ["legal-representative", "shareholder"] },
      { matterId: "M-old", companyName: "公司 M-old", kind: "establishment", roles: ["director"] },
    ]);
  });

  test("leaves out matters older than 7 days, closed or cancelled, of another hall, or not listing the holder", () => {
    const holder = [{ idNumber: HOLDER, name: "张三丰", role: "agent" }] as const;
    const matters = [
      matter("M-edge", PENDING_MATTER_MAX_AGE_MS, [...holder]),
      matter("M-stale", PENDING_MATTER_MAX_AGE_MS + 1, [...holder]),
      matter("M-closed", DAY, [...holder], { status: "closed" }),
      matter("M-cancelled", DAY, [...holder], { status: "cancelled" }),
      matter("M-hall", DAY, [...holder], { hallId: "hall-8" }),
      matter("M-other", DAY, [{ idNumber: OTHER, name: "李四", role: "agent" }]),
      matter("M-future", -DAY, [...holder]),
    ];
    expect(pendingMatters(matters, query).map((m) => m.matterId)).toEqual(["M-future", "M-edge"]);
    expect(pendingMatters(matters, { ...query, maxAgeMs: DAY }).map((m) => m.matterId)).toEqual(["M-future"]);
  });
});
