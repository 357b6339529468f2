import { describe, expect, test } from "bun:test";
import { VerificationScores } from "@kiosk/edge-server";
import { rocSvg } from "./roc-svg.ts";

describe("rocSvg", () => {
  const roc = new VerificationScores([0.9, 0.8, 0.7, 0.2], [0.75, 0.5, 0.3, 0.1]).roc();

  test("draws one polyline per curve on a log-FAR axis, with escaped labels and the marker", () => {
    const svg = rocSvg([{ label: "a <b> & c", points: roc }], { title: "ROC", marker: { far: 0.25, tar: 0.5, label: "threshold 0.8" } });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
    expect(svg.match(/<polyline/g)?.length).toBe(1);
    expect(svg).toContain("a &lt;b&gt; &amp; c");
    expect(svg).toContain("<circle");
    for (const decade of ["1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1e0"]) expect(svg).toContain(`>${decade}<`);
  });

  test("keeps only the corners of the staircase and starts at TAR 0, FAR below the axis", () => {
    const svg = rocSvg([{ label: "x", points: roc }], { title: "t" });
    const points = svg.match(/points="([^"]+)"/)?.[1]?.split(" ") ?? [];
    // FAR 0 is drawn at the 1e-5 edge (x = 64), TAR 0 at the bottom (y = 424).
    expect(points[0]).toBe("64,424");
    expect(points.at(-1)).toBe("696,40");
    expect(points.length).toBeLessThan(roc.length * 2);
  });
});
