import { VERIFICATION_RESULT_KIND, VERIFICATION_RESULT_SCHEMAS } from "@kiosk/contracts";
import type { z } from "zod";

/** A body schema plus the checks that tie a body to the kiosk that sent it. */
interface BodyKind {
  readonly schema: z.ZodType;
  /** The kiosk named inside the body, when the body names one. */
  readonly kioskIdOf?: (body: unknown) => string | undefined;
}

const resultKioskId = (body: unknown) => (body as { kioskId?: string }).kioskId;

// Every (kind, schemaVersion) central can archive. A record of any other
// kind or version is rejected `bad-schema`: central never stores what it
// cannot read back. Every version the contract defines is taken, and the
// contract keeps old versions forever.
const BODY_KINDS: ReadonlyMap<string, ReadonlyMap<number, BodyKind>> = new Map([
  [VERIFICATION_RESULT_KIND, new Map(Object.entries(VERIFICATION_RESULT_SCHEMAS).map(([version, schema]) => [Number(version), { schema, kioskIdOf: resultKioskId }]))],
]);

/** Outcome of {@linkcode checkRecordBody}. */
export type BodyCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * Checks a record body against the schema of its kind and version, and that
 * a body naming a kiosk names the one that sent it. The message never
 * quotes body values (they hold personal data), only field paths.
 */
export function checkRecordBody(kind: string, schemaVersion: number, body: string, kioskId: string): BodyCheck {
  const versions = BODY_KINDS.get(kind);
  if (!versions) return { ok: false, message: `Unknown record kind "${kind}"` };
  const bodyKind = versions.get(schemaVersion);
  if (!bodyKind) return { ok: false, message: `Unknown schema version ${schemaVersion} of kind "${kind}": central knows ${[...versions.keys()].join(", ")}` };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, message: "Body is not valid JSON" };
  }
  const parsed = bodyKind.schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `Body does not match ${kind} v${schemaVersion} at "${issue?.path.join(".") || "body"}": ${issue?.message ?? "invalid"}` };
  }
  const named = bodyKind.kioskIdOf?.(parsed.data);
  if (named !== undefined && named !== kioskId) return { ok: false, message: `Body names another kiosk than the sender "${kioskId}"` };
  return { ok: true };
}

/** Whether central can archive records of this kind and version. */
export function isKnownRecordKind(kind: string, schemaVersion: number): boolean {
  return BODY_KINDS.get(kind)?.has(schemaVersion) === true;
}
