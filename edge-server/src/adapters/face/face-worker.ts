/**
 * Entry point of one face worker (a Bun Worker). It owns a
 * {@linkcode FaceRuntime} and answers the engine's requests one at a time;
 * see `face-worker-protocol.ts` for the messages.
 */
import { isKioskError } from "@kiosk/contracts";
import { FaceRuntime } from "./face-runtime.ts";
import type { WorkerError, WorkerRequest, WorkerResponse } from "./face-worker-protocol.ts";

let runtime: FaceRuntime | undefined;

function reply(message: WorkerResponse, transfer: ArrayBuffer[] = []): void {
  postMessage(message, transfer);
}

function toWorkerError(error: unknown): WorkerError {
  if (isKioskError(error)) return { code: error.code, message: error.message };
  if (error instanceof RangeError || error instanceof TypeError) return { code: "bad-request", message: error.message };
  return { code: "internal", message: error instanceof Error ? error.message : String(error) };
}

async function handle(request: WorkerRequest): Promise<void> {
  switch (request.type) {
    case "init": {
      try {
        runtime = new FaceRuntime(request.init);
        const { backend, loadMs, warmupMs } = await runtime.load();
        reply({ type: "ready", backend, loadMs, warmupMs });
      } catch (error) {
        reply({ type: "init-failed", error: toWorkerError(error) });
      }
      return;
    }
    case "analyze": {
      try {
        if (!runtime) throw new Error("Face worker got a frame before init");
        const result = await runtime.analyze(request.frame, request.embed);
        const embedding = result.main?.embedding;
        reply({ type: "analyzed", id: request.id, result }, embedding ? [embedding.buffer as ArrayBuffer] : []);
      } catch (error) {
        reply({ type: "failed", id: request.id, error: toWorkerError(error) });
      }
      return;
    }
    case "embed-chip": {
      try {
        if (!runtime) throw new Error("Face worker got a chip photo before init");
        const result = await runtime.embedChip(request.photo);
        reply({ type: "chip-embedded", id: request.id, result }, result.ok ? [result.embedding.buffer as ArrayBuffer] : []);
      } catch (error) {
        reply({ type: "failed", id: request.id, error: toWorkerError(error) });
      }
      return;
    }
    case "close": {
      runtime?.dispose();
      runtime = undefined;
      reply({ type: "closed" });
      return;
    }
  }
}

// Requests are handled strictly in order: the engine sends one at a time, and
// a chain keeps even a misbehaving sender from running two inferences at once.
let queue: Promise<void> = Promise.resolve();
addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  queue = queue.then(() => handle(event.data));
});
