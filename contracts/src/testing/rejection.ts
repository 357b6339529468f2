/** What a promise that must fail failed with, for tests. */
import { isKioskError } from "../errors.ts";

/**
 * The reason `promise` rejected with.
 *
 * @throws {Error} when it resolves instead.
 */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/**
 * The `code` of the {@linkcode KioskError} `promise` rejected with.
 *
 * @throws the rejection itself when it is not a KioskError, and an Error when `promise` resolves.
 */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  const error = await rejectionOf(promise);
  if (isKioskError(error)) return error.code;
  throw error;
}
