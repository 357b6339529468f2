/**
 * The committed demo camera sequences, played by the real demo camera into the
 * real face capture (engine, quality gate, challenge, match), with the demo
 * camera director's job done by the capture's challenge updates: each demo
 * cardholder who reaches the face step passes with their own card, another
 * person does not, and the empty scene holds no face.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger, seededRandom, systemClock, type ChallengeAction } from "@kiosk/contracts";
import { DEMO_CAMERA_DIR, demoCardPath, loadCardFile, type DemoCardName } from "@kiosk/device";
import { DemoCamera, JpegFrameDecoder } from "@kiosk/device/adapters";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createFaceEngine } from "../face/create-face-engine.ts";
import { decodeImage } from "../face/image-decoder.ts";
import { CameraLiveFrames } from "../camera-frames.ts";
import { defaultFaceConfig } from "../../face-config.ts";
import { DEMO_REPEAT_ACTION_MS } from "../../services/demo-camera-director.ts";
import { FaceCapture, type CaptureOutcome } from "../../services/face-capture.ts";
import type { FaceEngine, RgbImage } from "../../ports.ts";

const config = defaultFaceConfig();
let engine: FaceEngine;
beforeAll(async () => {
  engine = createFaceEngine({ ...config, workers: 1 }, createLogger({ ns: "test", level: "error", sink: () => undefined }));
  await engine.start();
}, 60_000);
afterAll(() => engine.stop());

async function chipOf(card: DemoCardName): Promise<RgbImage> {
  return decodeImage((await loadCardFile(demoCardPath(card))).photo);
}

/** One capture against `chip`, with `person` in front of the demo camera performing what the challenge asks. */
async function capture(chip: RgbImage, person: string, options: { printedPhoto?: boolean; timeLimitMs?: number } = {}): Promise<CaptureOutcome> {
  const camera = new DemoCamera({ dir: DEMO_CAMERA_DIR });
  await camera.start();
  try {
    await camera.show(person, { printedPhoto: options.printedPhoto ?? false });
    const settings = { ...config, capture: { ...config.capture, timeLimitMs: options.timeLimitMs ?? config.capture.timeLimitMs } };
    const faceCapture = new FaceCapture({ engine, frames: new CameraLiveFrames(camera, new JpegFrameDecoder()), settings, clock: systemClock, random: seededRandom(7) });
    // As the demo's director does: the action asked is performed, and again while it is still asked (a busy engine can miss a clip).
    let asked: ChallengeAction | undefined;
    const repeat = setInterval(() => asked && void camera.perform(asked), DEMO_REPEAT_ACTION_MS);
    try {
      return await faceCapture.run(chip, {
        onUpdate: (update) => {
          if (update.type !== "challenge") return;
          asked = update.action;
          if (asked) void camera.perform(asked);
        },
      });
    } finally {
      clearInterval(repeat);
    }
  } finally {
    await camera.stop();
  }
}

const HOLDERS: [DemoCardName, string][] = [
  ["resident", "resident-zhou-mingyuan"],
  ["hmt-residence", "hmt-chen-jiaxin"],
  ["foreign-2017", "foreign-2017-oliver-hartley"],
  ["foreign-2023", "foreign-2023-claire-dubois"],
];

describe("the demo camera sequences through the face capture", () => {
  for (const [card, person] of HOLDERS) {
    test(`${person}: passes the quality gate and the challenge and matches their own chip photo`, async () => {
      const outcome = await capture(await chipOf(card), person);
      expect(outcome).toMatchObject({ outcome: "matched" });
    }, 60_000);
  }

  test("another person performs the challenge but does not match a holder's chip photo", async () => {
    const outcome = await capture(await chipOf("resident"), "other");
    expect(outcome).toMatchObject({ outcome: "not-matched" });
  }, 60_000);

  test("a printed photo never passes the challenge", async () => {
    const outcome = await capture(await chipOf("resident"), "resident-zhou-mingyuan", { printedPhoto: true, timeLimitMs: 6000 });
    expect(outcome).toMatchObject({ outcome: "timed-out" });
  }, 60_000);

  test("the empty scene holds no face", async () => {
    const frame = await readFile(join(DEMO_CAMERA_DIR, "nobody", "still", "frame-0001.jpg"));
    const analysis = await engine.analyze(await decodeImage(new Uint8Array(frame)));
    expect([analysis.main, analysis.others.length]).toEqual([undefined, 0]);
  }, 60_000);
});
