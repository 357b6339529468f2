/** Pass and fail counts of one suite. */
export interface Counts {
  readonly passed: number;
  readonly failed: number;
}

/**
 * Counts the tests in a JUnit XML report (as written by `bun test` and
 * Playwright). Skipped tests count as failed: a test switched off is a defect.
 *
 * @throws {SyntaxError} when the text has no `<testsuites>` summary.
 */
export function junitCounts(xml: string): Counts {
  const summary = xml.match(/<testsuites\b([^>]*)>/);
  if (!summary) throw new SyntaxError("Cannot read the JUnit report: no <testsuites> element");
  const attr = (name: string): number => Number(summary[1]?.match(new RegExp(`\\b${name}="(\\d+)"`))?.[1] ?? 0);
  const tests = attr("tests");
  const failed = attr("failures") + attr("errors") + attr("skipped");
  return { passed: Math.max(0, tests - failed), failed };
}
