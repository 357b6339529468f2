import { describe, expect, test } from "bun:test";
import { junitCounts } from "./junit-counts.ts";

describe("junitCounts", () => {
  test("reads bun's report", () => {
    const xml = `<?xml version="1.0"?>\n<testsuites name="bun test" tests="12" assertions="40" failures="2" skipped="1" time="0.1">\n<testsuite tests="5"/></testsuites>`;
    expect(junitCounts(xml)).toEqual({ passed: 9, failed: 3 });
  });

  test("reads Playwright's report, errors included", () => {
    const xml = `<testsuites id="" name="" tests="3" failures="0" skipped="0" errors="1" time="2.0">`;
    expect(junitCounts(xml)).toEqual({ passed: 2, failed: 1 });
  });

  test("refuses text without a summary", () => {
    expect(() => junitCounts("<html></html>")).toThrow(SyntaxError);
  });
});
