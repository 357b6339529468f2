/**
 * Frame widths that make `faulty-face-worker.ts` fail, so a test picks the
 * fault by the frame it sends (any height; the frame must still be a valid
 * RGB image).
 */
export const FAULT_WIDTHS = {
  /** Spins forever, as a stuck inference would: never answers. */
  hang: 7,
  /** Calls `process.exit(3)`. */
  exit: 11,
  /** Throws an uncaught error from its message handler. */
  throw: 13,
} as const;

/** One of the planted faults. */
export type WorkerFault = keyof typeof FAULT_WIDTHS;
