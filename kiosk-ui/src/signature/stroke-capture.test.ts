import { SIGNATURE_LIMITS, signatureSchema } from "@kiosk/contracts";
import { describe, expect, test } from "bun:test";
import { StrokeCapture } from "./stroke-capture.ts";

const valid = (capture: StrokeCapture) => signatureSchema.safeParse({ ...capture.toInput(), capturedAt: "2026-12-08T09:30:12.345Z" }).success;

describe("StrokeCapture", () => {
  test("records integer canvas pixels, one stroke per pen-down, a tap as one point", () => {
    const capture = new StrokeCapture(1000, 400);
    capture.down(10.4, 20.6);
    capture.move(15.2, 25.5);
    capture.up();
    capture.down(500, 200);
    capture.up();
    expect(capture.toInput()).toEqual({ width: 1000, height: 400, strokes: [[10, 21, 15, 26], [500, 200]] });
    expect(valid(capture)).toBe(true);
  });

  test("drops points closer than 2 px to the last kept one", () => {
    const capture = new StrokeCapture(100, 100);
    capture.down(10, 10);
    capture.move(11, 11);
    capture.move(11.4, 10.6);
    capture.move(12, 10);
    capture.move(13, 10);
    capture.move(14, 10);
    expect(capture.strokes).toEqual([[10, 10, 12, 10, 14, 10]]);
  });

  test("keeps points on the canvas, and ignores moves without the pen down", () => {
    const capture = new StrokeCapture(100, 50);
    capture.move(5, 5);
    capture.down(-8, 70);
    capture.move(130, -4);
    expect(capture.strokes).toEqual([[0, 50, 100, 0]]);
    expect(valid(capture)).toBe(true);
  });

  test("stops recording at the contract's limits and stays valid", () => {
    const capture = new StrokeCapture(2000, 2000);
    for (let s = 0; s < SIGNATURE_LIMITS.maxStrokes + 20; s++) {
      capture.down(0, s);
      for (let i = 1; i < 40; i++) capture.move(i * 3, s);
      capture.up();
    }
    const points = capture.strokes.reduce((sum, stroke) => sum + stroke.length / 2, 0);
    expect(capture.strokes.length).toBeLessThanOrEqual(SIGNATURE_LIMITS.maxStrokes);
    expect(points).toBe(SIGNATURE_LIMITS.maxPoints);
    expect(valid(capture)).toBe(true);

    const long = new StrokeCapture(2000, 2000);
    long.down(0, 0);
    for (let i = 1; i < 1500; i++) long.move(i, (i % 2) * 3);
    expect(long.strokes[0]?.length).toBe(2 * SIGNATURE_LIMITS.maxStrokePoints);
  });

  test("clear forgets everything; nothing drawn sends nothing", () => {
    const capture = new StrokeCapture(100, 100);
    expect(capture.toInput()).toBeUndefined();
    capture.down(1, 1);
    capture.clear();
    expect(capture.empty).toBe(true);
    expect(capture.toInput()).toBeUndefined();
  });

  test("refuses a canvas the contract does not allow", () => {
    expect(() => new StrokeCapture(0, 10)).toThrow(RangeError);
    expect(() => new StrokeCapture(10, SIGNATURE_LIMITS.maxCanvasPx + 1)).toThrow(RangeError);
    expect(() => new StrokeCapture(10.5, 10)).toThrow(RangeError);
  });
});
