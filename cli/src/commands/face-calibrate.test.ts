import { describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { captureIo } from "../testing/capture-io.ts";
import { parseScores, run } from "./face-calibrate.ts";

describe("parseScores", () => {
  test("reads pair lines and session lines, naming identities by folder", () => {
    expect(parseScores("/c/A/1.webp\t/l/A/2.jpg\t1\t0.95\n/c/A/1.webp\t/l/B/1.jpg,/l/B/2.jpg\t0\t-Infinity\n")).toEqual([
      { score: 0.95, same: true, chipIdentity: "A", liveIdentity: "A" },
      { score: Number.NEGATIVE_INFINITY, same: false, chipIdentity: "A", liveIdentity: "B" },
    ]);
  });

  test("refuses a session whose live photos are of two people, and bad lines", () => {
    expect(() => parseScores("/c/A/1.webp\t/l/B/1.jpg,/l/C/1.jpg\t0\t0.5\n")).toThrow("line 1: the live paths of a session must be of one identity");
    expect(() => parseScores("/c/A/1.webp\t/l/B/1.jpg\t2\t0.5\n")).toThrow("line 1");
  });
});

describe("./kiosk face calibrate", () => {
  test("raises the recommendation until the target FAR holds on every list, not only pooled", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kiosk-face-calibrate-"));
    try {
      // List "high": 20 people, two of whose 380 impostor sessions score 0.9; list "low": 20 people whose impostors stay at 0.1.
      const list = (prefix: string, impostorTop: number): string => {
        const lines: string[] = [];
        for (let a = 0; a < 20; a++) {
          lines.push(`/c/${prefix}${a}/1.webp\t/l/${prefix}${a}/2.jpg\t1\t0.95`);
          for (let b = 0; b < 20; b++) if (a !== b) lines.push(`/c/${prefix}${a}/1.webp\t/l/${prefix}${b}/1.jpg,/l/${prefix}${b}/2.jpg\t0\t${a === 0 && b > 0 && b < 3 ? impostorTop : 0.1}`);
        }
        return `${lines.join("\n")}\n`;
      };
      await writeFile(join(dir, "high.tsv"), list("h", 0.9));
      await writeFile(join(dir, "low.tsv"), list("l", 0.1));
      const { io, out, err } = captureIo({ cwd: dir });
      // FAR 5e-3: pooled, the two high impostors of 760 are allowed (3.8); on the high list alone (1.9 of 380), not both.
      expect(await run(["--scores", "high.tsv", "--scores", "low.tsv", "--far", "5e-3", "--rounds", "200", "--quantile", "0.5", "--step", "0.01"], io)).toBe(0);
      expect(err.join("")).toBe("");
      const result = JSON.parse(out[0] ?? "");
      expect(result.rawThreshold).toBeLessThan(0.9);
      expect(result.recommended).toBeLessThan(0.9);
      expect(result.recommendedEveryList).toBeCloseTo(0.91, 9);
      expect(result.perList.map((l: { atEveryList: unknown }) => l.atEveryList)).toEqual([
        { tar: 1, far: 0 },
        { tar: 1, far: 0 },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
