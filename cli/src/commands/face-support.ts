/**
 * What the `face` and `bench face` commands share: the face settings (read
 * from `KIOSK_EDGE_FACE_*` variables, as the edge server will read them),
 * a quiet logger, image loading, and a bounded parallel map.
 */
import { createLogger, isKioskError, loadConfig, type Logger } from "@kiosk/contracts";
import { decodeImage, faceConfigSchema, type FaceConfig, type RgbImage } from "@kiosk/edge-server";
import { readFile } from "node:fs/promises";
import type { CliIo } from "../io.ts";

/** Prefix of the face settings' variables (`face.*` of the edge config). */
export const FACE_ENV_PREFIX = "KIOSK_EDGE_FACE_";

/**
 * The face settings from the environment, with `overrides` by dotted key.
 *
 * @throws {KioskError} `config-invalid` listing every problem.
 */
export function loadFaceConfig(io: CliIo, overrides: Record<string, unknown> = {}): FaceConfig {
  return loadConfig(faceConfigSchema, FACE_ENV_PREFIX, { env: io.env, overrides });
}

/** A logger writing warnings and errors as JSON lines to standard error (standard output carries the result). */
export function stderrLogger(io: CliIo, ns: string): Logger {
  return createLogger({ ns, level: "warn", sink: (record) => io.err(`${JSON.stringify(record)}\n`) });
}

/** Why an image could not be loaded. */
export type ImageFailure = "file-not-found" | "file-unreadable" | "not-an-image";

/** Reads and decodes an image file, or says why it cannot. */
export async function loadImage(path: string): Promise<{ ok: true; image: RgbImage } | { ok: false; code: ImageFailure; message: string }> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, code: "file-not-found", message: `Cannot read "${path}": no such file` };
    return { ok: false, code: "file-unreadable", message: `Cannot read "${path}": ${code ?? "unknown error"}` };
  }
  try {
    return { ok: true, image: await decodeImage(bytes) };
  } catch (error) {
    return { ok: false, code: "not-an-image", message: `Cannot decode "${path}": ${(error as Error).message}` };
  }
}

/**
 * Maps `items` through `fn` with at most `concurrency` calls in flight,
 * keeping the result order.
 */
export async function mapConcurrent<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  return results;
}

/** The median of `values` (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** `x` rounded to `digits` decimals. */
export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The exit code and stderr line for an error thrown while the engine ran. */
export function reportFailure(io: CliIo, what: string, error: unknown): number {
  const code = isKioskError(error) ? error.code : "internal";
  io.err(`${what}: ${(error as Error).message}\n`);
  return code === "config-invalid" ? 2 : 1;
}
