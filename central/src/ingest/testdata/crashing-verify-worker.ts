// The real signature worker, except that a job of exactly 13 checks crashes it (uncaught).
import "../verify-worker.ts";

declare const self: { onmessage: ((event: MessageEvent<{ count: number }>) => void) | null };

const real = self.onmessage;
self.onmessage = (event) => {
  if (event.data.count === 13) throw new Error("simulated worker crash");
  real?.(event);
};
