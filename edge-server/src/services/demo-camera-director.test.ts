import { describe, expect, test } from "bun:test";
import { createLogger, type ChallengeAction, type SessionView } from "@kiosk/contracts";
import { FakeClock } from "@kiosk/contracts/testing";
import type { DemoCameraControl } from "../demo-ports.ts";
import { DEMO_REPEAT_ACTION_MS, DemoCameraDirector } from "./demo-camera-director.ts";

const common = { language: "zh", phaseIndex: 3, phaseCount: 5, countdown: null } as const;
const card = { cardType: "resident", maskedIdNumber: "1101********0374" } as const;

function face(attempt: number, challenge: { action: ChallengeAction; step: number; of: number } | null): SessionView {
  return { step: "face", ...common, card, attempt, maxAttempts: 3, guidance: null, challenge } as SessionView;
}

class FakeCamera implements DemoCameraControl {
  readonly performed: ChallengeAction[] = [];
  async show(): Promise<void> {}
  async perform(action: ChallengeAction): Promise<void> {
    this.performed.push(action);
  }
}

describe("DemoCameraDirector", () => {
  test("performs each challenge action once, however many views show it", () => {
    const camera = new FakeCamera();
    const director = new DemoCameraDirector(camera, undefined, new FakeClock(0));
    director.observe(face(1, null));
    director.observe(face(1, { action: "blink", step: 0, of: 2 }));
    director.observe(face(1, { action: "blink", step: 0, of: 2 }));
    director.observe(face(1, { action: "turn-left", step: 1, of: 2 }));
    director.observe(face(1, { action: "turn-left", step: 1, of: 2 }));
    expect(camera.performed).toEqual(["blink", "turn-left"]);
  });

  test("an action the kiosk still asks for is performed again, until the view moves on", async () => {
    const camera = new FakeCamera();
    const clock = new FakeClock(0);
    const director = new DemoCameraDirector(camera, undefined, clock);
    director.observe(face(1, { action: "blink", step: 0, of: 2 }));
    await clock.advance(DEMO_REPEAT_ACTION_MS - 1);
    expect(camera.performed).toEqual(["blink"]);
    await clock.advance(1);
    expect(camera.performed).toEqual(["blink", "blink"]);
    director.observe(face(1, { action: "turn-left", step: 1, of: 2 }));
    director.observe({ step: "matters", ...common, phaseIndex: 4 } as SessionView);
    await clock.advance(10 * DEMO_REPEAT_ACTION_MS);
    expect(camera.performed).toEqual(["blink", "blink", "turn-left"]);
  });

  test("a new attempt, or a new session after the face step ended, performs again", () => {
    const camera = new FakeCamera();
    const director = new DemoCameraDirector(camera, undefined, new FakeClock(0));
    director.observe(face(1, { action: "blink", step: 0, of: 1 }));
    director.observe(face(2, { action: "blink", step: 0, of: 1 }));
    director.observe({ step: "idle", ...common, phaseIndex: null } as SessionView);
    director.observe(face(2, { action: "blink", step: 0, of: 1 }));
    expect(camera.performed).toEqual(["blink", "blink", "blink"]);
  });

  test("follows a view source until detached; a failing camera is logged, not thrown", async () => {
    const listeners = new Set<(view: SessionView) => void>();
    const source = { subscribe: (listener: (view: SessionView) => void) => (listeners.add(listener), () => listeners.delete(listener)) };
    const warnings: string[] = [];
    const log = createLogger({ ns: "test", level: "warn", sink: (record) => warnings.push(record.msg) });
    const camera = { show: async () => undefined, perform: async () => Promise.reject(new Error("no clip")) };
    const detach = new DemoCameraDirector(camera, log, new FakeClock(0)).attach(source);
    for (const listener of listeners) listener(face(1, { action: "turn-right", step: 0, of: 1 }));
    await Bun.sleep(0);
    expect(warnings).toEqual(["The demo camera could not perform the challenge"]);
    detach();
    expect(listeners.size).toBe(0);
  });
});
