/**
 * The kiosk's storage budget. Results are refused (fail closed) above the
 * hard watermark instead of overwriting or expiring unsent ones (sync.md §4.1
 * invariant 5), and accepted again as soon as a check finds space.
 */
import { STORAGE_LEVELS, type Logger, type StorageLevel } from "@kiosk/contracts";
import { statfsSync, statSync } from "node:fs";
import { dirname } from "node:path";

/** Bytes the store uses and bytes the filesystem has left. */
export interface DiskUsage {
  readonly usedBytes: number;
  readonly freeBytes: number;
}

/** Measures disk use; the real one is {@linkcode fileDiskProbe}, tests pass fakes. */
export interface DiskProbe {
  measure(): DiskUsage;
}

/** Limits of a {@linkcode DiskBudget}. */
export interface DiskLimits {
  readonly budgetBytes: number;
  /** Share of the budget (0-1) that raises a warning. */
  readonly softWatermark: number;
  /** Share of the budget (0-1) above which new results are refused. */
  readonly hardWatermark: number;
  /** Free filesystem bytes below which new results are refused; below twice this, a warning. */
  readonly minFreeBytes: number;
}

/** The outcome of one check. */
export interface DiskStatus {
  readonly level: StorageLevel;
  readonly acceptingResults: boolean;
  /** Why results are refused or storage is filling, for technicians and the out-of-service screen; null when ok. */
  readonly reason: string | null;
  readonly usedBytes: number;
  readonly budgetBytes: number;
  readonly freeBytes: number;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // The -wal and -shm files exist only while a connection is open.
    return 0;
  }
}

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

/**
 * Measures the database file with its `-wal` and `-shm` files, and the free
 * space (for unprivileged users) of the filesystem holding them.
 */
export function fileDiskProbe(dbPath: string): DiskProbe {
  return {
    measure() {
      if (dbPath === ":memory:") return { usedBytes: 0, freeBytes: Number.MAX_SAFE_INTEGER };
      const usedBytes = fileSize(dbPath) + fileSize(`${dbPath}-wal`) + fileSize(`${dbPath}-shm`);
      const fs = statfsSync(dirname(dbPath));
      return { usedBytes, freeBytes: Math.min(Number.MAX_SAFE_INTEGER, fs.bavail * fs.bsize) };
    },
  };
}

/** The level of `usage` against `limits` (pure). */
export function diskStatus(usage: DiskUsage, limits: DiskLimits): DiskStatus {
  const { usedBytes, freeBytes } = usage;
  const base = { usedBytes, budgetBytes: limits.budgetBytes, freeBytes };
  const hardBytes = limits.hardWatermark * limits.budgetBytes;
  if (usedBytes >= hardBytes) {
    return {
      ...base,
      level: STORAGE_LEVELS.hard,
      acceptingResults: false,
      reason: `Local storage is full (${mib(usedBytes)} of a ${mib(limits.budgetBytes)} budget used): new results are refused until central acknowledges the backlog or a technician frees space`,
    };
  }
  if (freeBytes < limits.minFreeBytes) {
    return {
      ...base,
      level: STORAGE_LEVELS.hard,
      acceptingResults: false,
      reason: `The kiosk's disk is nearly full (${mib(freeBytes)} free, at least ${mib(limits.minFreeBytes)} needed): new results are refused until a technician frees space`,
    };
  }
  if (usedBytes >= limits.softWatermark * limits.budgetBytes || freeBytes < 2 * limits.minFreeBytes) {
    return {
      ...base,
      level: STORAGE_LEVELS.soft,
      acceptingResults: true,
      reason: `Local storage is filling (${mib(usedBytes)} of ${mib(limits.budgetBytes)} used, ${mib(freeBytes)} free on disk)`,
    };
  }
  return { ...base, level: STORAGE_LEVELS.ok, acceptingResults: true, reason: null };
}

/**
 * Checks disk use against the budget and logs each change of level once:
 * a warning at the soft level, an error at the hard level, and recovery.
 */
export class DiskBudget {
  readonly #probe: DiskProbe;
  readonly #limits: DiskLimits;
  readonly #log: Logger;
  #last: DiskStatus | undefined;

  constructor(probe: DiskProbe, limits: DiskLimits, log: Logger) {
    this.#probe = probe;
    this.#limits = limits;
    this.#log = log;
  }

  /** Measures now and returns the status. */
  check(): DiskStatus {
    const status = diskStatus(this.#probe.measure(), this.#limits);
    const before = this.#last?.level ?? STORAGE_LEVELS.ok;
    if (status.level !== before) {
      const fields = { usedBytes: status.usedBytes, budgetBytes: status.budgetBytes, freeBytes: status.freeBytes };
      if (status.level === STORAGE_LEVELS.hard) this.#log.error(`refusing new results: ${status.reason}`, fields);
      else if (status.level === STORAGE_LEVELS.soft) this.#log.warn(status.reason ?? "local storage is filling", fields);
      else this.#log.info("local storage back below its watermarks", fields);
    }
    this.#last = status;
    return status;
  }

  /** The status of the last check, measuring now if there was none. */
  get last(): DiskStatus {
    return this.#last ?? this.check();
  }
}
