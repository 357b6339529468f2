import { describe, expect, test } from "bun:test";
import { matterInputSchema } from "@kiosk/contracts";
import { demoBlocklist, demoMatters, loadDemoCardholders, mattersPerCard } from "./demo-matters.ts";

describe("demoMatters", () => {
  test("gives 3 to 5 valid open matters of the hall", async () => {
    const matters = demoMatters(await loadDemoCardholders(), "demo-hall-01");
    expect(matters.length).toBeGreaterThanOrEqual(3);
    expect(matters.length).toBeLessThanOrEqual(5);
    for (const matter of matters) {
      expect(matterInputSchema.parse(matter)).toEqual(matter);
      expect([matter.hallId, matter.status]).toEqual(["demo-hall-01", "open"]);
    }
    expect(new Set(matters.map((m) => m.matterId)).size).toBe(matters.length);
  });

  test("lists the demo cardholders with their card numbers: one on two matters, one on none", async () => {
    const holders = await loadDemoCardholders();
    const matters = demoMatters(holders, "demo-hall-01");
    expect(mattersPerCard(holders, matters)).toEqual({
      "resident": 2,
      "hmt-residence": 2,
      "foreign-2017": 1,
      "foreign-2023": 0,
      "expired": 0,
      "lost": 1,
    });
    expect(holders.resident).toEqual({ idNumber: "110105199203140374", name: "周明远" });
    const cardNumbers = new Set(Object.values(holders).map((h) => h.idNumber));
    for (const matter of matters) {
      expect(matter.persons.filter((p) => cardNumbers.has(p.idNumber)).length, matter.matterId).toBeGreaterThan(0);
      expect(new Set(matter.persons.map((p) => p.idNumber)).size, matter.matterId).toBe(matter.persons.length);
    }
  });

  test("the blocklist holds the lost card, and only it", async () => {
    const holders = await loadDemoCardholders();
    expect(demoBlocklist(holders)).toEqual([{ cardNumber: "440106198807090265", reason: "lost" }]);
    expect(holders.lost.idNumber).toBe("440106198807090265");
  });
});
