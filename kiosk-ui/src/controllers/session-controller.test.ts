import type { ApplicantEvent, SessionView } from "@kiosk/contracts";
import { describe, expect, test } from "bun:test";
import type { ReactiveController } from "lit";
import type { SessionStreamHandlers } from "../data/session-stream.ts";
import { SessionController } from "./session-controller.ts";

const idle: SessionView = { step: "idle", language: "zh", phaseIndex: null, phaseCount: 6, countdown: null };
const consent: SessionView = { ...idle, step: "consent", phaseIndex: 1 };

function setup(sendEvent: (event: ApplicantEvent) => Promise<SessionView> = () => Promise.resolve(idle)) {
  const host = { updates: 0, controllers: [] as ReactiveController[], addController(c: ReactiveController) { this.controllers.push(c); }, requestUpdate() { this.updates++; } };
  const stream = { handlers: undefined as SessionStreamHandlers | undefined, closed: 0 };
  const controller = new SessionController(host as never, {
    openStream: (handlers) => {
      stream.handlers = handlers;
      return () => stream.closed++;
    },
    sendEvent,
    sendSignature: () => Promise.resolve(idle),
  });
  return { host, stream, controller };
}

describe("SessionController", () => {
  test("follows the stream while connected: views and prompts, a prompt dropped when the step changes", () => {
    const { host, stream, controller } = setup();
    controller.hostConnected();
    stream.handlers?.onView(consent);
    stream.handlers?.onPrompt({ key: "consent", language: "zh" });
    expect(controller.view).toEqual(consent);
    expect(controller.prompt).toEqual({ key: "consent", language: "zh" });
    stream.handlers?.onView({ ...consent, language: "en" });
    expect(controller.prompt).toEqual({ key: "consent", language: "zh" });
    stream.handlers?.onView(idle);
    expect(controller.prompt).toBeUndefined();
    expect(host.updates).toBe(4);
    controller.hostDisconnected();
    expect(stream.closed).toBe(1);
  });

  test("a touch is posted, and its answer does not replace the view the stream shows", async () => {
    const sent: ApplicantEvent[] = [];
    const { stream, controller } = setup((event) => {
      sent.push(event);
      return Promise.resolve(idle);
    });
    controller.hostConnected();
    stream.handlers?.onView(consent);
    await controller.send({ type: "consent", agree: true });
    expect(sent).toEqual([{ type: "consent", agree: true }]);
    expect(controller.view).toEqual(consent);
  });

  test("a refused or lost touch changes nothing and does not throw", async () => {
    const { stream, controller } = setup(() => Promise.reject(new Error("409")));
    controller.hostConnected();
    stream.handlers?.onView(consent);
    await controller.send({ type: "touch" });
    expect(controller.view).toEqual(consent);
  });
});
