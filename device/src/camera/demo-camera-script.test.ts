import { describe, expect, test } from "bun:test";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_CARDS } from "../idcard/simulator/card-file.ts";
import { DEMO_CAMERA_DIR, DEMO_CLIP_KINDS, DemoCameraScript } from "./demo-camera-script.ts";

const HOLDER = "resident-zhou-mingyuan";
const script = () => new DemoCameraScript([HOLDER, "other", "nobody"]);

describe("DemoCameraScript", () => {
  test("starts on the empty scene; a shown person loops their still", () => {
    const s = script();
    expect(s.clip).toEqual({ person: "nobody", kind: "still", loop: true });
    expect(s.show(HOLDER)).toEqual({ person: HOLDER, kind: "still", loop: true });
    expect(s.show("other")).toEqual({ person: "other", kind: "still", loop: true });
  });

  test("a person performs an action once, then returns to still", () => {
    const s = script();
    s.show(HOLDER);
    expect(s.perform("turn-left")).toEqual({ person: HOLDER, kind: "turn-left", loop: false });
    expect(s.clipEnded()).toEqual({ person: HOLDER, kind: "still", loop: true });
  });

  test("an action asked for during another plays right after it", () => {
    const s = script();
    s.show("other");
    s.perform("blink");
    expect(s.perform("turn-right")).toBeUndefined();
    expect(s.clipEnded()).toEqual({ person: "other", kind: "turn-right", loop: false });
    expect(s.clipEnded()).toEqual({ person: "other", kind: "still", loop: true });
  });

  test("a printed photo and the empty scene never perform", () => {
    const s = script();
    expect(s.perform("blink")).toBeUndefined();
    expect(s.show(HOLDER, { printedPhoto: true })).toEqual({ person: HOLDER, kind: "still", loop: true });
    expect(s.perform("blink")).toBeUndefined();
    expect(s.clip.kind).toBe("still");
    s.show(HOLDER);
    expect(s.perform("blink")?.kind).toBe("blink");
  });

  test("showing someone else drops a pending action; a person without sequences shows the empty scene", () => {
    const s = script();
    s.show(HOLDER);
    s.perform("blink");
    s.perform("turn-left");
    s.show("other");
    expect(s.clipEnded()).toEqual({ person: "other", kind: "still", loop: true });
    expect(s.show("hmt-chen-jiaxin")).toEqual({ person: "nobody", kind: "still", loop: true });
    expect([s.has(HOLDER), s.has("hmt-chen-jiaxin")]).toEqual([true, false]);
  });

  test("sequences without an empty scene are refused", () => {
    expect(() => new DemoCameraScript([HOLDER])).toThrow(RangeError);
  });
});

describe("the shipped demo sequences", () => {
  test("every valid demo card's holder, other and nobody; four kinds each (nobody: still); at most 1.5 MB in all", async () => {
    const holders = Object.values(DEMO_CARDS).filter((file) => !file.startsWith("resident-expired") && !file.startsWith("resident-lost")).map((file) => file.replace(/\.json$/, ""));
    const people = (await readdir(DEMO_CAMERA_DIR, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(people.sort()).toEqual([...holders, "nobody", "other"].sort());
    let bytes = 0;
    for (const person of people) {
      const kinds = await readdir(join(DEMO_CAMERA_DIR, person));
      expect(kinds.sort(), person).toEqual(person === "nobody" ? ["still"] : [...DEMO_CLIP_KINDS].sort());
      for (const kind of kinds) {
        const frames = await readdir(join(DEMO_CAMERA_DIR, person, kind));
        expect(frames.length, `${person}/${kind}`).toBeGreaterThan(0);
        for (const frame of frames) bytes += (await stat(join(DEMO_CAMERA_DIR, person, kind, frame))).size;
      }
    }
    expect(bytes).toBeLessThanOrEqual(1.5 * 1024 * 1024);
  });
});
