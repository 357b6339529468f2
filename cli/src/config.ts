/**
 * The one place the command line reads its process environment. Services
 * get their settings through their own `config.ts` from what this returns.
 */
export function processEnv(): Readonly<Record<string, string | undefined>> {
  return { ...process.env };
}
