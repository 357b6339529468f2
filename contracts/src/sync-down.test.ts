import { describe, expect, test } from "bun:test";
import { matterInputSchema, syncSigningInput } from "./sync-down.ts";

const matter = {
  matterId: "M-2026-0001",
  kind: "establishment",
  companyName: "测试科技有限公司",
  hallId: "hall-dongcheng",
  status: "open",
  persons: [{ idNumber: "110101198001010037", name: "测试甲", role: "legal-representative" }],
} as const;

describe("matterInputSchema", () => {
  test("accepts a valid matter", () => {
    expect(matterInputSchema.safeParse(matter).success).toBe(true);
  });

  test("rejects a resident ID number with a wrong check digit", () => {
    const bad = { ...matter, persons: [{ ...matter.persons[0], idNumber: "110101198001010038" }] };
    const result = matterInputSchema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain("GB 11643");
  });

  test("accepts foreign-card numbers and rejects an invalid credit code", () => {
    expect(matterInputSchema.safeParse({ ...matter, persons: [{ ...matter.persons[0], idNumber: "CAN110080101000" }] }).success).toBe(true);
    expect(matterInputSchema.safeParse({ ...matter, creditCode: "91110000XXXXXXXXXX" }).success).toBe(false);
  });

  test("rejects an unknown role", () => {
    expect(matterInputSchema.safeParse({ ...matter, persons: [{ ...matter.persons[0], role: "owner" }] }).success).toBe(false);
  });
});

describe("syncSigningInput", () => {
  test("binds the key id and the exact payload text", () => {
    expect(new TextDecoder().decode(syncSigningInput("central-1", '{"a":1}'))).toBe('shiming-kiosk/sync/v1\ncentral-1\n{"a":1}');
  });
});
