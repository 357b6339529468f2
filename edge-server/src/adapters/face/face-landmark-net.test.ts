import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Human } from "../../../node_modules/@vladmandic/human/dist/human.node-wasm.js";
import { FACE_FIXTURES } from "./face-fixtures.ts";
import { FaceLandmarkNet, LANDMARK_COUNT, squarePatch } from "./face-landmark-net.ts";
import { decodeImage } from "./image-decoder.ts";
import type { RgbImage } from "./rgb-image.ts";

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, 7], (y * width + x) * 3);
  return { width, height, data };
}

describe("squarePatch", () => {
  test("copies a square box unchanged and maps its pixels back", () => {
    const { patch, toImage } = squarePatch(gradient(50, 40), { x: 10, y: 5, width: 20, height: 20 }, 20);
    expect([patch.width, patch.height]).toEqual([20, 20]);
    expect(Array.from(patch.data.subarray(0, 3))).toEqual([10, 5, 7]);
    expect(toImage({ x: 0, y: 0 })).toEqual({ x: 10, y: 5 });
    expect(toImage({ x: 19, y: 19 })).toEqual({ x: 29, y: 24 });
  });

  test("centres a tall box in a black square, and black outside the image", () => {
    const { patch, toImage } = squarePatch(gradient(50, 40), { x: -2, y: 30, width: 10, height: 20 }, 20);
    // The square spans x −7…12, y 30…49; the box covers x −2…7, the image y ≤ 39.
    const at = (x: number, y: number): number[] => Array.from(patch.data.subarray((y * 20 + x) * 3, (y * 20 + x) * 3 + 3));
    expect(at(4, 0)).toEqual([0, 0, 0]);
    expect(at(7, 0)).toEqual([0, 30, 7]);
    expect(at(14, 9)).toEqual([7, 39, 7]);
    expect(at(15, 0)).toEqual([0, 0, 0]);
    expect(at(7, 10)).toEqual([0, 0, 0]);
    expect(toImage({ x: 7, y: 0 })).toEqual({ x: 0, y: 30 });
  });
});

describe("FaceLandmarkNet on a real photo", () => {
  let human: Human;
  let net: FaceLandmarkNet;

  beforeAll(async () => {
    const wasm = fileURLToPath(new URL("./", import.meta.resolve("@tensorflow/tfjs-backend-wasm")));
    human = new Human({ backend: "wasm", wasmPath: wasm, debug: false, face: { enabled: false } } as ConstructorParameters<typeof Human>[0]);
    await human.init();
    expect(human.tf.getBackend()).toBe("wasm");
    net = new FaceLandmarkNet(human.tf, fileURLToPath(new URL("../model/", import.meta.resolve("@vladmandic/face-api"))));
    await net.load();
  });
  afterAll(() => {
    net.dispose();
  });

  test("finds the eyes, nose and chin of a frontal face where they are", async () => {
    const image = await decodeImage(new Uint8Array(await readFile(FACE_FIXTURES.liveA)));
    // A detector-like box around the face of the 320×320 fixture.
    const points = await net.detect(image, { x: 80, y: 83, width: 170, height: 171 });
    expect(points.length).toBe(LANDMARK_COUNT);
    // Measured once and checked by eye on an overlay; 4 px of slack.
    const expected: Record<number, [number, number]> = { 36: [124, 142.5], 45: [199, 144], 33: [160, 182], 8: [161, 238] };
    for (const [i, [x, y]] of Object.entries(expected)) {
      expect(Math.abs((points[Number(i)]?.x ?? 0) - x)).toBeLessThan(4);
      expect(Math.abs((points[Number(i)]?.y ?? 0) - y)).toBeLessThan(4);
    }
    const xs = [36, 39, 42, 45].map((i) => points[i]?.x ?? 0);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  test("refuses to run before load()", async () => {
    const fresh = new FaceLandmarkNet(human.tf, "/nonexistent");
    await expect(fresh.detect(gradient(20, 20), { x: 0, y: 0, width: 20, height: 20 })).rejects.toThrow("before load()");
  });
});
