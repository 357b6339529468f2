import { describe, expect, test } from "bun:test";
import { centreOffset, eyeOpenness, laplacianVariance, meanLuminance, measureFaceQuality } from "./face-quality.ts";

function solid(width: number, height: number, rgb: [number, number, number]) {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) data.set(rgb, i);
  return { width, height, data };
}

describe("face quality measures", () => {
  test("brightness is the BT.601 luma mean of the box, clipped to the frame", () => {
    expect(meanLuminance(solid(10, 10, [100, 100, 100]), { x: 2, y: 2, width: 4, height: 4 })).toBe(100);
    // 0.299·255
    expect(meanLuminance(solid(10, 10, [255, 0, 0]), { x: -5, y: -5, width: 30, height: 30 })).toBeCloseTo(76.245, 3);
    expect(meanLuminance(solid(10, 10, [9, 9, 9]), { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
  });

  test("sharpness is zero on a flat face and large on fine detail", () => {
    const box = { x: 0, y: 0, width: 112, height: 112 };
    expect(laplacianVariance(solid(112, 112, [128, 128, 128]), box)).toBe(0);
    const checker = solid(112, 112, [0, 0, 0]);
    for (let y = 0; y < 112; y++) for (let x = 0; x < 112; x++) if ((x + y) % 2) checker.data.fill(255, (y * 112 + x) * 3, (y * 112 + x) * 3 + 3);
    const sharp = laplacianVariance(checker, box);
    expect(sharp).toBeGreaterThan(100_000);
  });

  test("centre offset is 0 for a centred face and ±0.5 at the edges", () => {
    expect(centreOffset({ width: 640, height: 480 }, { x: 270, y: 190, width: 100, height: 100 })).toEqual({ x: 0, y: 0 });
    expect(centreOffset({ width: 640, height: 480 }, { x: -50, y: 430, width: 100, height: 100 })).toEqual({ x: -0.5, y: 0.5 });
  });

  test("eye openness is the lid gap over the eye width", () => {
    const mesh = Array.from({ length: 478 }, () => ({ x: 0, y: 0 }));
    // Subject's left eye: corners 263/362 40 px apart, lids 386/374 12 px apart.
    mesh[263] = { x: 140, y: 100 };
    mesh[362] = { x: 100, y: 100 };
    mesh[386] = { x: 120, y: 94 };
    mesh[374] = { x: 120, y: 106 };
    // Right eye closed: lids touch.
    mesh[33] = { x: 20, y: 100 };
    mesh[133] = { x: 60, y: 100 };
    mesh[159] = { x: 40, y: 100 };
    mesh[145] = { x: 40, y: 100 };
    expect(eyeOpenness(mesh)).toEqual({ left: 0.3, right: 0 });
    expect(eyeOpenness([])).toEqual({ left: 0, right: 0 });
  });

  test("measureFaceQuality reports every measure", () => {
    const q = measureFaceQuality(solid(64, 48, [50, 60, 70]), { x: 10, y: 8, width: 30, height: 20 }, []);
    expect(q.faceSizePx).toBe(30);
    expect(q.brightness).toBeCloseTo(0.299 * 50 + 0.587 * 60 + 0.114 * 70, 2);
    expect(q.sharpness).toBe(0);
    expect(q.centreOffset).toEqual({ x: -0.109, y: -0.125 });
  });
});
