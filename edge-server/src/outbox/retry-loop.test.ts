import { afterEach, describe, expect, test } from "bun:test";
import { KioskError } from "@kiosk/contracts";
import { captureLogger, FakeClock } from "@kiosk/contracts/testing";
import { RetryLoop, type PassResult } from "./retry-loop.ts";

type Step = PassResult | Error | ((signal: AbortSignal) => Promise<PassResult>);

interface Setup {
  loop: RetryLoop;
  clock: FakeClock;
  records: ReturnType<typeof captureLogger>["records"];
  /** Start times (fake clock) of every pass so far. */
  passes: number[];
  /** Advances the clock by `ms` and waits for a pass it started. */
  run(ms?: number): Promise<void>;
  nextDelay(): number | null;
}

let current: RetryLoop | undefined;
afterEach(async () => {
  await current?.stop("test over");
  current = undefined;
});

// A loop whose passes play `steps` in order, then report idle.
function setup(steps: Step[], options: { maxRetryDelayMs?: number } = {}): Setup {
  const clock = new FakeClock();
  const { log, records } = captureLogger();
  const passes: number[] = [];
  const loop = new RetryLoop({
    pass: async (signal) => {
      passes.push(clock.now());
      const step = steps.shift() ?? { kind: "idle" };
      if (step instanceof Error) throw step;
      return typeof step === "function" ? step(signal) : step;
    },
    clock,
    log,
    random: () => 0.5,
    backoff: { baseMs: 1_000, capMs: 60_000 },
    idleMs: 30_000,
    ...(options.maxRetryDelayMs === undefined ? {} : { maxRetryDelayMs: options.maxRetryDelayMs }),
    messages: { failing: "work failing", recovered: "work recovered", unexpected: "unexpected failure in work" },
  });
  current = loop;
  return {
    loop,
    clock,
    records,
    passes,
    async run(ms = 0) {
      await clock.advance(ms);
      await loop.whenIdle();
    },
    nextDelay() {
      const at = loop.state.nextAttemptAtMs;
      return at === null ? null : at - clock.now();
    },
  };
}

const failed = (code: string, retryAfterMs = 0): PassResult => ({ kind: "failed", code, message: `${code} happened`, retryAfterMs });

describe("RetryLoop", () => {
  test("runs again at once while passes make progress, then waits the idle time", async () => {
    const s = setup([{ kind: "progress" }, { kind: "progress" }, { kind: "idle" }]);
    s.loop.start();
    await s.run();
    expect(s.passes).toHaveLength(3);
    expect(s.nextDelay()).toBe(30_000);
    await s.run(30_000);
    expect(s.passes).toHaveLength(4);
  });

  test("backs off with jitter after failures, never sooner than Retry-After, and records the failure", async () => {
    const s = setup([failed("central-unreachable"), failed("central-unreachable"), failed("central-unreachable", 10_000)]);
    s.loop.start();
    await s.run();
    // random 0.5 of the ceilings 1 s, 2 s, then 4 s raised to the 10 s central asked for.
    expect(s.nextDelay()).toBe(500);
    await s.run(500);
    expect(s.nextDelay()).toBe(1_000);
    await s.run(1_000);
    expect(s.nextDelay()).toBe(10_000);
    expect(s.loop.state).toMatchObject({ consecutiveFailures: 3, lastError: { code: "central-unreachable", message: "central-unreachable happened" } });
  });

  test("caps the back-off at maxRetryDelayMs, but not central's Retry-After", async () => {
    const s = setup([failed("a"), failed("a"), failed("a"), failed("a", 5_000)], { maxRetryDelayMs: 1_500 });
    s.loop.start();
    await s.run();
    await s.run(500);
    await s.run(1_000);
    expect(s.nextDelay()).toBe(1_500);
    await s.run(1_500);
    expect(s.nextDelay()).toBe(5_000);
  });

  test("warns once per kind of failure and says when the work recovers", async () => {
    const s = setup([failed("a"), failed("a"), failed("b"), { kind: "idle" }]);
    s.loop.start();
    await s.run(10_000);
    expect(s.passes).toHaveLength(4);
    const warned = s.records.filter((r) => r.msg === "work failing").map((r) => r.code);
    expect(warned).toEqual(["a", "b"]);
    expect(s.records.find((r) => r.msg === "work recovered")).toMatchObject({ failures: 3 });
    expect(s.loop.state).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });

  test("a KioskError thrown by a pass keeps its code; any other error is logged as a bug with code internal", async () => {
    const s = setup([new KioskError("store-full", "The disk is full"), new TypeError("x is undefined")]);
    s.loop.start();
    await s.run();
    expect(s.loop.state.lastError).toMatchObject({ code: "store-full", message: "The disk is full" });
    await s.run(500);
    expect(s.loop.state.lastError).toMatchObject({ code: "internal", message: "unexpected failure in work: x is undefined" });
    expect(s.records.filter((r) => r.msg === "unexpected failure in work")).toHaveLength(1);
  });

  test("a nudge skips the back-off but not Retry-After; during a pass it runs another right after", async () => {
    let release: (r: PassResult) => void = () => {};
    const s = setup([failed("a"), failed("a", 7_000), () => new Promise<PassResult>((resolve) => (release = resolve))]);
    s.loop.start();
    await s.run();
    s.loop.nudge();
    await s.run();
    expect(s.passes).toHaveLength(2);
    s.loop.nudge();
    expect(s.nextDelay()).toBe(7_000);
    await s.clock.advance(7_000);
    expect(s.loop.state.inFlight).toBe(true);
    s.loop.nudge();
    release({ kind: "idle" });
    await s.run();
    expect(s.passes).toHaveLength(4);
    expect(s.nextDelay()).toBe(30_000);
  });

  test("new work starts a pass at once when healthy, but does not cut a back-off short", async () => {
    const s = setup([{ kind: "idle" }, failed("a")]);
    s.loop.start();
    await s.run();
    s.loop.notify();
    await s.run();
    expect(s.passes).toHaveLength(2);
    expect(s.nextDelay()).toBe(500);
    s.loop.notify();
    expect(s.nextDelay()).toBe(500);
  });

  test("stop aborts the running pass and waits for it; nothing is scheduled afterwards", async () => {
    let seen: AbortSignal | undefined;
    const s = setup([
      (signal) =>
        new Promise<PassResult>((_, reject) => {
          seen = signal;
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
    ]);
    s.loop.start();
    await s.clock.advance(0);
    expect(s.loop.state.inFlight).toBe(true);
    await s.loop.stop("shutting down");
    expect(seen?.aborted).toBe(true);
    expect(s.loop.state).toMatchObject({ inFlight: false, nextAttemptAtMs: null, consecutiveFailures: 0 });
    expect(s.records.filter((r) => r.msg === "unexpected failure in work")).toHaveLength(0);
    expect(s.clock.pendingCount).toBe(0);
  });

  test("hold records why the work cannot run and never runs a pass", async () => {
    const s = setup([]);
    s.loop.hold("config-invalid", "Central's key is not configured");
    s.loop.nudge();
    s.loop.notify();
    await s.run(60_000);
    expect(s.passes).toHaveLength(0);
    expect(s.loop.state.lastError).toMatchObject({ code: "config-invalid", message: "Central's key is not configured" });
    expect(s.records.find((r) => r.msg === "Central's key is not configured")?.level).toBe("error");
  });
});
