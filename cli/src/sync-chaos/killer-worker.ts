/**
 * Helper thread of a kiosk generator: on request, waits a precise number of
 * microseconds and kills the whole process with SIGKILL, so the kill lands
 * while the main thread is inside a synchronous SQLite commit.
 */
declare const self: Worker;

self.onmessage = (event: MessageEvent<{ pid: number; delayUs: number }>) => {
  const { pid, delayUs } = event.data;
  // A busy wait, not a timer: timers are far coarser than a commit.
  const until = performance.now() + delayUs / 1000;
  while (performance.now() < until) {
    /* spin */
  }
  process.kill(pid, "SIGKILL");
};
self.postMessage("ready");
