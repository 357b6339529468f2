import { createLogger, type PreviewFrame, type SessionView } from "@kiosk/contracts";
import type { CameraFrame } from "@kiosk/device";
import { describe, expect, test } from "bun:test";
import { CameraPreview } from "./camera-preview.ts";

const log = createLogger({ ns: "test", level: "error", sink: () => undefined });

function view(step: SessionView["step"]): SessionView {
  return { step } as SessionView;
}

function harness() {
  let current = view("idle");
  const hubListeners = new Set<(v: SessionView) => void>();
  const cameraListeners = new Set<(f: CameraFrame) => void>();
  const preview = new CameraPreview({
    camera: { onFrame: (l) => (cameraListeners.add(l), () => cameraListeners.delete(l)) },
    hub: { view: () => current, subscribe: (l) => (hubListeners.add(l), () => hubListeners.delete(l)) },
    log,
  });
  return {
    preview,
    cameraListeners,
    go(step: SessionView["step"]) {
      current = view(step);
      for (const l of [...hubListeners]) l(current);
    },
    frame(seq: number, bytes = new Uint8Array([1, 2, 3])) {
      for (const l of [...cameraListeners]) l({ seq, capturedAtMs: 1000 + seq, width: 4, height: 2, format: "jpeg", bytes, channel: "rgb" });
    },
  };
}

describe("CameraPreview", () => {
  test("opens only on the face step, holds the camera only while someone watches, and ends viewers with the step", async () => {
    const h = harness();
    await h.preview.start();
    expect(h.preview.open(() => undefined, () => undefined)).toBeNull();
    h.go("face");
    const frames: PreviewFrame[] = [];
    let ended = 0;
    const close = h.preview.open((f) => frames.push(f), () => ended++);
    expect(close).not.toBeNull();
    expect(h.cameraListeners.size).toBe(1);
    h.frame(1);
    h.preview.analysed({ atMs: 1001, box: { x: 1, y: 1, width: 2, height: 1 }, guidance: "too-dark" });
    h.frame(2);
    expect(frames).toEqual([
      { atMs: 1001, width: 4, height: 2, jpeg: "AQID", face: null, guidance: null },
      { atMs: 1002, width: 4, height: 2, jpeg: "AQID", face: { x: 1, y: 1, width: 2, height: 1 }, guidance: "too-dark" },
    ]);
    h.go("face-retry");
    expect(ended).toBe(1);
    expect(h.cameraListeners.size).toBe(0);
    h.frame(3);
    expect(frames).toHaveLength(2);
    // The next attempt starts without the last attempt's box.
    h.go("face");
    h.preview.open((f) => frames.push(f), () => undefined);
    h.frame(4);
    expect(frames[2]).toMatchObject({ face: null, guidance: null });
    await h.preview.stop();
    expect(h.cameraListeners.size).toBe(0);
  });

  test("closing the last viewer lets go of the camera; a large frame encodes as standard base64", async () => {
    const h = harness();
    await h.preview.start();
    h.go("face");
    const frames: PreviewFrame[] = [];
    const close = h.preview.open((f) => frames.push(f), () => undefined);
    const big = new Uint8Array(100_000).map((_, i) => i % 251);
    h.frame(1, big);
    expect(Uint8Array.from(atob(frames[0]?.jpeg ?? ""), (c) => c.charCodeAt(0))).toEqual(big);
    close?.();
    expect(h.cameraListeners.size).toBe(0);
    expect(h.preview.viewers).toBe(0);
  });
});
