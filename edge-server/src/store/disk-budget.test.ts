import { describe, expect, test } from "bun:test";
import { KioskError } from "@kiosk/contracts";
import { captureLogger } from "@kiosk/contracts/testing";
import { DiskBudget, diskStatus, fileDiskProbe, type DiskFs, type DiskUsage } from "./disk-budget.ts";
import { openTestStore, sampleResult } from "./testing/store-fixtures.ts";

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

describe("fileDiskProbe", () => {
  const DB = "/var/lib/kiosk/kiosk.db";
  const failing = (code: string): Error => Object.assign(new Error(`${code}: stat failed`), { code });
  const fsWith = (files: Record<string, number | string>): DiskFs => ({
    stat(path) {
      const entry = files[path];
      if (entry === undefined) throw failing("ENOENT");
      if (typeof entry === "string") throw failing(entry);
      return { size: entry };
    },
    statfs: () => ({ bavail: 1_000, bsize: 4_096 }),
  });

  test("adds the database, -wal and -shm sizes; a missing -wal or -shm counts as 0 bytes", () => {
    expect(fileDiskProbe(DB, fsWith({ [DB]: 4_096, [`${DB}-wal`]: 100 })).measure()).toEqual({ usedBytes: 4_196, freeBytes: 4_096_000 });
  });

  for (const code of ["EACCES", "EIO"]) {
    test(`a stat failing with ${code} is a storage fault, not 0 bytes, and results are refused`, async () => {
      const probe = fileDiskProbe(DB, fsWith({ [DB]: 4_096, [`${DB}-wal`]: code }));
      let thrown: unknown;
      try {
        probe.measure();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(KioskError);
      expect(thrown).toMatchObject({ code: "store-failed", message: `Cannot measure local storage: stat of "${DB}-wal" failed with ${code}` });

      const { log, records } = captureLogger("info");
      const status = new DiskBudget(probe, limits, log).check();
      expect(status).toMatchObject({ level: "hard", acceptingResults: false, fault: true });
      expect(status.reason).toContain(`failed with ${code}`);
      expect(records.filter((r) => r.level === "error")).toHaveLength(1);

      const t = await openTestStore({ probe });
      try {
        await expect(t.store.saveResult(sampleResult())).rejects.toMatchObject({ code: "store-failed" });
        expect(t.outbox.stats().backlog).toBe(0);
      } finally {
        t.dispose();
      }
    });
  }

  test("a filesystem that cannot be queried is a storage fault", () => {
    const fs: DiskFs = { stat: () => ({ size: 1 }), statfs: () => { throw failing("EIO"); } };
    expect(() => fileDiskProbe(DB, fs).measure()).toThrow(`Cannot measure local storage: statfs of "/var/lib/kiosk" failed with EIO`);
  });
});
