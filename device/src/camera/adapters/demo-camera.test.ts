import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { FakeClock } from "@kiosk/contracts/testing";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { waitFor } from "../../testing/wait-for.ts";
import type { CameraFrame } from "../camera.ts";
import { DemoCamera } from "./demo-camera.ts";

// Every clip is made of solid-colour frames whose red value names the clip,
// so a frame tells which clip (and which frame of it) is playing.
const CLIPS = {
  "holder/still": [10, 11],
  "holder/blink": [20, 21, 22],
  "holder/turn-left": [30, 31, 32],
  "other/still": [40],
  "nobody/still": [50],
} as const;

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "demo-camera-"));
  for (const [clip, reds] of Object.entries(CLIPS)) {
    await mkdir(join(dir, clip), { recursive: true });
    for (const [i, red] of reds.entries()) {
      const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: red * 4, g: 0, b: 0 } } }).jpeg({ quality: 100 }).toBuffer();
      await writeFile(join(dir, clip, `frame-${String(i + 1).padStart(4, "0")}.jpg`), jpeg);
    }
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let camera: DemoCamera | undefined;
afterEach(async () => {
  await camera?.stop();
  camera = undefined;
});

async function redOf(frame: CameraFrame): Promise<number> {
  const { data } = await sharp(frame.bytes).raw().toBuffer({ resolveWithObject: true });
  return Math.round((data[0] ?? 0) / 4);
}

/** Starts a demo camera on a fake clock; `next()` advances the clock one frame and returns the red value of the newest frame. */
async function setup() {
  const clock = new FakeClock();
  camera = new DemoCamera({ dir, fps: 10, actionFps: 10, clock });
  const started = camera;
  await started.start();
  let seq = 0;
  const next = async (): Promise<number> => {
    const pending = started.nextFrame({ after: seq, signal: AbortSignal.timeout(3000) });
    if (started.latest()?.seq === seq) {
      await waitFor(() => clock.pendingCount > 0, { timeoutMs: 3000, message: "the demo camera never waited for its next frame" });
      await clock.advance(100);
    }
    const frame = await pending;
    seq = frame.seq;
    return redOf(frame);
  };
  return { camera: started, next };
}

describe("DemoCamera", () => {
  test("starts on the empty scene and loops a shown person's still", async () => {
    const { camera, next } = await setup();
    expect(await next()).toBe(50);
    await camera.show("holder");
    expect([await next(), await next(), await next()]).toEqual([10, 11, 10]);
    expect(camera.status().state).toBe("ready");
  });

  test("performs an action once, then returns to still, under one frame counter", async () => {
    const { camera, next } = await setup();
    await next();
    await camera.show("holder");
    await next();
    await camera.perform("blink");
    const reds: number[] = [];
    for (let i = 0; i < 5; i++) reds.push(await next());
    expect(reds).toEqual([20, 21, 22, 10, 11]);
    expect(camera.counters().frames).toBeGreaterThanOrEqual(7);
  });

  test("a printed photo shows the still and never performs; other and nobody switch the person", async () => {
    const { camera, next } = await setup();
    await camera.show("holder", { printedPhoto: true });
    await next();
    await camera.perform("turn-left");
    expect([await next(), await next()].every((red) => red === 10 || red === 11)).toBe(true);
    await camera.show("other");
    expect(await next()).toBe(40);
    await camera.show("nobody");
    expect(await next()).toBe(50);
    await camera.show("someone-without-sequences");
    expect(await next()).toBe(50);
  });

  test("an action the person has no frames for leaves them standing still", async () => {
    const { camera, next } = await setup();
    await camera.show("other");
    expect(await next()).toBe(40);
    await camera.perform("turn-right");
    expect([await next(), await next()]).toEqual([40, 40]);
    expect(camera.status().state).toBe("ready");
  });

  test("a folder without an empty scene fails start with config-invalid", async () => {
    camera = new DemoCamera({ dir: join(dir, "holder"), clock: new FakeClock() });
    await expect(camera.start()).rejects.toMatchObject({ code: "config-invalid" });
    expect(camera.status().state).toBe("error");
  });
});
