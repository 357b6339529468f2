import { isKioskError } from "@kiosk/contracts";
import { EXIT, type CliIo } from "./io.ts";

/** A started service the command keeps alive until asked to stop. */
export interface Running {
  stop(): Promise<void>;
}

/**
 * Starts a service, keeps it running until Ctrl-C or SIGTERM, then stops it.
 * An invalid configuration or a failed start is reported in one readable
 * message (no stack trace) and gives a non-zero exit code.
 */
export async function runUntilSignal(io: CliIo, what: string, start: () => Promise<Running>): Promise<number> {
  let running: Running;
  try {
    running = await start();
  } catch (error) {
    return reportStartFailure(io, what, error);
  }
  if (!io.signal.aborted) await new Promise((resolve) => io.signal.addEventListener("abort", resolve, { once: true }));
  await running.stop();
  return EXIT.ok;
}

/** Prints why a service could not start and returns the exit code to use. */
export function reportStartFailure(io: CliIo, what: string, error: unknown): number {
  if (isKioskError(error, "config-invalid")) {
    io.err(`Cannot start ${what}: ${error.message}\n`);
    return EXIT.usage;
  }
  if (isKioskError(error)) {
    io.err(`Cannot start ${what}: ${error.message} [${error.code}]\n`);
    return EXIT.failure;
  }
  throw error;
}
