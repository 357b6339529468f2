/**
 * The kiosk's storage budget. Results are refused (fail closed) above the
 * hard watermark instead of overwriting or expiring unsent ones (sync.md §4.1
 * invariant 5), and accepted again as soon as a check finds space.
 */
import { isKioskError, KioskError, STORAGE_LEVELS, type Logger, type StorageLevel } from "@kiosk/contracts";
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
  /** True when storage could not be measured at all (a storage fault, not a full disk); results are then refused. */
  readonly fault: boolean;
}

/** The filesystem calls {@linkcode fileDiskProbe} makes; `node:fs` by default, fakes in tests. */
export interface DiskFs {
  /** Size of a file; throws an error with `code` "ENOENT" when it does not exist. */
  stat(path: string): { readonly size: number };
  /** Free blocks for unprivileged users and the block size of the filesystem holding `path`. */
  statfs(path: string): { readonly bavail: number; readonly bsize: number };
}

const NODE_FS: DiskFs = { stat: statSync, statfs: statfsSync };

// The errno name of a `node:fs` error ("ENOENT", "EACCES", "EIO"), if it has one.
function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function storageFault(what: string, path: string, cause: unknown): KioskError {
  const why = errnoCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  return new KioskError("store-failed", `Cannot measure local storage: ${what} "${path}" failed with ${why}`, { cause });
}

function fileSize(fs: DiskFs, path: string): number {
  try {
    return fs.stat(path).size;
  } catch (cause) {
    // The -wal and -shm files exist only while a connection is open. Any
    // other failure (EACCES, EIO) means the size is unknown, not zero.
    if (errnoCode(cause) === "ENOENT") return 0;
    throw storageFault("stat of", path, cause);
  }
}

const MIB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MIB).toFixed(1)} MiB`;

/**
 * Measures the database file with its `-wal` and `-shm` files, and the free
 * space (for unprivileged users) of the filesystem holding them.
 *
 * `measure()` throws {@linkcode KioskError} `store-failed` when a file cannot
 * be measured for any reason but not existing (a missing `-wal` or `-shm`
 * counts as 0 bytes), or when the filesystem cannot be queried.
 */
export function fileDiskProbe(dbPath: string, fs: DiskFs = NODE_FS): DiskProbe {
  return {
    measure() {
      if (dbPath === ":memory:") return { usedBytes: 0, freeBytes: Number.MAX_SAFE_INTEGER };
      const usedBytes = fileSize(fs, dbPath) + fileSize(fs, `${dbPath}-wal`) + fileSize(fs, `${dbPath}-shm`);
      const dir = dirname(dbPath);
      let free;
      try {
        free = fs.statfs(dir);
      } catch (cause) {
        throw storageFault("statfs of", dir, cause);
      }
      return { usedBytes, freeBytes: Math.min(Number.MAX_SAFE_INTEGER, free.bavail * free.bsize) };
    },
  };
}

/** The level of `usage` against `limits` (pure). */
export function diskStatus(usage: DiskUsage, limits: DiskLimits): DiskStatus {
  const { usedBytes, freeBytes } = usage;
  const base = { usedBytes, budgetBytes: limits.budgetBytes, freeBytes, fault: false };
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
 * The status when storage cannot be measured: results are refused (fail
 * closed), as at the hard watermark, with the probe's error as the reason.
 */
function faultStatus(error: KioskError, limits: DiskLimits, last: DiskStatus | undefined): DiskStatus {
  return {
    level: STORAGE_LEVELS.hard,
    acceptingResults: false,
    reason: `${error.message}: new results are refused until a technician fixes the kiosk's storage`,
    usedBytes: last?.usedBytes ?? 0,
    budgetBytes: limits.budgetBytes,
    freeBytes: last?.freeBytes ?? 0,
    fault: true,
  };
}

/**
 * Checks disk use against the budget and logs each change of level once:
 * a warning at the soft level, an error at the hard level, and recovery.
 * A probe that fails with a {@linkcode KioskError} is a storage fault:
 * results are refused until a check measures again.
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
    let status: DiskStatus;
    try {
      status = diskStatus(this.#probe.measure(), this.#limits);
    } catch (error) {
      if (!isKioskError(error)) throw error;
      status = faultStatus(error, this.#limits, this.#last);
    }
    const before = this.#last?.level ?? STORAGE_LEVELS.ok;
    if (status.level !== before || status.fault !== (this.#last?.fault ?? false)) {
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
