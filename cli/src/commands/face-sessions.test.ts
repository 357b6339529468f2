import { describe, expect, test } from "bun:test";
import type { FacePair } from "./face-eval.ts";
import { formSessions, identityOf } from "./face-sessions.ts";

/** Pairs in the dev lists' layout: A has three photos, B two, C one. */
function pairs(): FacePair[] {
  const p = (chip: string, live: string, same: boolean): FacePair => ({ chip: `/d/chip/${chip}.webp`, live: `/d/live/${live}.jpg`, same });
  return [
    p("A/1", "A/2", true),
    p("A/1", "A/3", true),
    p("A/2", "A/1", true),
    p("A/2", "A/3", true),
    p("B/1", "B/2", true),
    p("A/1", "B/1", false),
    p("B/1", "A/3", false),
    p("B/1", "C/1", false),
  ];
}

describe("formSessions", () => {
  test("pairs each chip with K of its genuine photos and K photos of every other identity that has K", () => {
    const plan = formSessions(pairs(), 2, 1);
    const genuine = plan.sessions.filter((s) => s.same);
    expect(genuine.map((s) => [s.chip, [...s.live].sort()])).toEqual([
      ["/d/chip/A/1.webp", ["/d/live/A/2.jpg", "/d/live/A/3.jpg"]],
      ["/d/chip/A/2.webp", ["/d/live/A/1.jpg", "/d/live/A/3.jpg"]],
      // B/1 has one genuine photo: repeated up to K.
      ["/d/chip/B/1.webp", ["/d/live/B/2.jpg", "/d/live/B/2.jpg"]],
    ]);
    expect(plan.genuineRepeated).toBe(1);
    const impostor = plan.sessions.filter((s) => !s.same);
    // C has one live photo: never the live side at K = 2. A's chips meet B, B's chip meets A.
    expect(impostor.map((s) => [s.chip, identityOf(s.live[0] as string), new Set(s.live.map(identityOf)).size, new Set(s.live).size])).toEqual([
      ["/d/chip/A/1.webp", "B", 1, 2],
      ["/d/chip/A/2.webp", "B", 1, 2],
      ["/d/chip/B/1.webp", "A", 1, 2],
    ]);
    expect(plan.identitiesTooFewPhotos).toBe(1);
  });

  test("every session has exactly K photos, and never the chip's own person on the impostor side", () => {
    for (const k of [1, 2, 3]) {
      for (const session of formSessions(pairs(), k, 7).sessions) {
        expect(session.live.length).toBe(k);
        expect(session.live.every((live) => identityOf(live) === identityOf(session.chip))).toBe(session.same);
      }
    }
  });

  test("one seed gives the same sessions, another may draw other photos", () => {
    const draws = (seed: number) => JSON.stringify(formSessions(pairs(), 2, seed).sessions.filter((s) => s.chip.endsWith("B/1.webp")));
    expect(draws(1)).toBe(draws(1));
    const k1 = (seed: number) => formSessions(pairs(), 1, seed).sessions.find((s) => s.chip === "/d/chip/A/1.webp" && s.same)?.live[0];
    expect(new Set(Array.from({ length: 20 }, (_, seed) => k1(seed)))).toEqual(new Set(["/d/live/A/2.jpg", "/d/live/A/3.jpg"]));
  });

  test("refuses a K below 1", () => {
    expect(() => formSessions(pairs(), 0, 1)).toThrow("session size");
  });
});
