import { describe, expect, test } from "bun:test";
import { captureLogger } from "@kiosk/contracts/testing";
import { DiskBudget, diskStatus, type DiskUsage } from "./disk-budget.ts";

const limits = { budgetBytes: 1000, softWatermark: 0.7, hardWatermark: 0.9, minFreeBytes: 100 };

describe("diskStatus", () => {
  test("levels follow the budget watermarks and the filesystem's free space", () => {
    expect(diskStatus({ usedBytes: 100, freeBytes: 10_000 }, limits)).toMatchObject({ level: "ok", acceptingResults: true, reason: null });
    expect(diskStatus({ usedBytes: 700, freeBytes: 10_000 }, limits)).toMatchObject({ level: "soft", acceptingResults: true });
    expect(diskStatus({ usedBytes: 100, freeBytes: 150 }, limits)).toMatchObject({ level: "soft", acceptingResults: true });
    const full = diskStatus({ usedBytes: 900, freeBytes: 10_000 }, limits);
    expect(full).toMatchObject({ level: "hard", acceptingResults: false });
    expect(full.reason).toContain("Local storage is full");
    const disk = diskStatus({ usedBytes: 10, freeBytes: 99 }, limits);
    expect(disk).toMatchObject({ level: "hard", acceptingResults: false });
    expect(disk.reason).toContain("disk is nearly full");
  });
});

describe("DiskBudget", () => {
  test("logs each change of level once and recovers", () => {
    let usage: DiskUsage = { usedBytes: 0, freeBytes: 10_000 };
    const { log, records } = captureLogger("info");
    const budget = new DiskBudget({ measure: () => usage }, limits, log);
    expect(budget.check().level).toBe("ok");
    usage = { usedBytes: 950, freeBytes: 10_000 };
    budget.check();
    budget.check();
    usage = { usedBytes: 750, freeBytes: 10_000 };
    budget.check();
    usage = { usedBytes: 10, freeBytes: 10_000 };
    expect(budget.check().acceptingResults).toBe(true);
    expect(records.map((r) => r.level)).toEqual(["error", "warn", "info"]);
    expect(budget.last.level).toBe("ok");
  });
});
