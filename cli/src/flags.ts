/** Checks of command-line flag values shared by the subcommands. */

/**
 * The whole number given for `flag`, or `undefined` when the flag is absent.
 *
 * @throws {RangeError} naming the flag when the value is not a whole number of at least `min`.
 */
export function wholeNumber(value: string | undefined, flag: string, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < min) throw new RangeError(`Invalid ${flag} "${value}": expected a whole number of at least ${min}`);
  return n;
}
