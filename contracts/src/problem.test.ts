import { describe, expect, test } from "bun:test";
import { ERROR_CODES, isKioskError, KioskError } from "./errors.ts";
import { problemSchema, toProblem } from "./problem.ts";

describe("KioskError", () => {
  test("carries code, cause, details and the code's default retryability", () => {
    const cause = new Error("ECONNREFUSED");
    const error = new KioskError("central-unreachable", "Cannot reach central", { cause, details: { url: "http://x" } });
    expect(error.code).toBe("central-unreachable");
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ url: "http://x" });
    expect(isKioskError(error, "central-unreachable")).toBe(true);
    expect(isKioskError(error, "internal")).toBe(false);
    expect(new KioskError("central-unreachable", "x", { retryable: false }).retryable).toBe(false);
  });
});

describe("toProblem", () => {
  test("maps every code to a valid problem with its status", () => {
    for (const code of Object.keys(ERROR_CODES) as Array<keyof typeof ERROR_CODES>) {
      const problem = toProblem(new KioskError(code, `Message for ${code}`));
      expect(problemSchema.parse(problem)).toEqual(problem);
      expect(problem.status).toBe(ERROR_CODES[code].status);
      expect(problem.detail).toBe(`Message for ${code}`);
    }
  });

  test("hides the message and stack of unknown errors", () => {
    const problem = toProblem(new Error("SELECT * FROM secrets failed at /srv/app.ts:12"));
    expect(problem.code).toBe("internal");
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain("secrets");
  });
});
