import type { PreviewFrame } from "@kiosk/contracts";
import { expect, test } from "bun:test";
import { CameraPreviewController } from "./camera-preview-controller.ts";

const frame: PreviewFrame = { atMs: 1, width: 4, height: 4, jpeg: "", face: null, guidance: null };

test("opens the preview only while followed and connected, and drops the frame on leaving", () => {
  const host = { updates: 0, addController() {}, requestUpdate() { this.updates++; } };
  const opened: ((frame: PreviewFrame) => void)[] = [];
  let closed = 0;
  const controller = new CameraPreviewController(host as never, (onFrame) => {
    opened.push(onFrame);
    return () => closed++;
  });
  controller.hostConnected();
  controller.follow(false);
  expect(opened).toHaveLength(0);

  controller.follow(true);
  controller.follow(true);
  expect(opened).toHaveLength(1);
  opened[0]?.(frame);
  expect(controller.frame).toEqual(frame);
  expect(host.updates).toBe(1);

  controller.follow(false);
  expect(closed).toBe(1);
  expect(controller.frame).toBeUndefined();

  controller.follow(true);
  controller.hostDisconnected();
  expect(closed).toBe(2);
  controller.hostConnected();
  expect(opened).toHaveLength(3);
});
