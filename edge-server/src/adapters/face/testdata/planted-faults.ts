/**
 * The fault half of `faulty-face-worker.ts`: a message listener that makes
 * the worker fail on a frame whose width is one of {@linkcode FAULT_WIDTHS}
 * and lets every other message through to the real worker.
 */
import type { WorkerRequest } from "../face-worker-protocol.ts";
import { FAULT_WIDTHS } from "./worker-faults.ts";

addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type !== "analyze") return;
  switch (request.frame.width) {
    case FAULT_WIDTHS.hang:
      for (;;);
    case FAULT_WIDTHS.exit:
      process.exit(3);
    case FAULT_WIDTHS.throw:
      throw new Error("Planted fault in the face worker");
  }
});
