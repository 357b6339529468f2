/**
 * Test stand-in for `face-worker.ts`: loads nothing and reports that tfjs
 * came up on the `cpu` backend, as human does when WASM fails and a CPU
 * backend is registered (its silent fallback). The engine must refuse it.
 */
import type { WorkerRequest, WorkerResponse } from "../face-worker-protocol.ts";

addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const reply = (message: WorkerResponse): void => postMessage(message);
  if (event.data.type === "init") reply({ type: "ready", backend: "cpu", loadMs: 1, warmupMs: 0 });
  if (event.data.type === "close") reply({ type: "closed" });
});
