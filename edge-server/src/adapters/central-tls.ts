/**
 * Trust in central over HTTPS: the kiosk trusts only the CA (or the
 * certificate itself) named by `central.caFile`, never the system's CAs,
 * and a certificate that does not verify is a typed `central-untrusted`.
 */
import { KioskError } from "@kiosk/contracts";
import { readFileSync } from "node:fs";

// Certificate verification failures as Bun's fetch reports them (the OpenSSL / Node error codes).
const CERTIFICATE_ERRORS = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "INVALID_CA",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * The `central-untrusted` error for a fetch failure caused by central's
 * certificate, or `undefined` for any other failure.
 */
export function untrustedCentralError(cause: unknown, target: string): KioskError | undefined {
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !CERTIFICATE_ERRORS.has(code)) return undefined;
  return new KioskError("central-untrusted", `Central at "${target}" is not trusted: its certificate does not verify with central.caFile (${code})`, {
    cause,
  });
}

/**
 * A fetch for central. With `caFile`, HTTPS trusts only the CA or
 * certificate in that PEM file (Bun's `tls.ca` replaces the system's CAs);
 * without it, `base` unchanged (plain HTTP to a loopback central).
 *
 * @throws {KioskError} `config-invalid` when `caFile` cannot be read.
 */
export function centralFetch(caFile: string | undefined, base: typeof fetch = fetch): typeof fetch {
  if (caFile === undefined) return base;
  let ca: string;
  try {
    ca = readFileSync(caFile, "utf8");
  } catch (cause) {
    throw new KioskError("config-invalid", `Cannot read central.caFile "${caFile}": ${(cause as Error).message}`, { cause });
  }
  if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new KioskError("config-invalid", `central.caFile "${caFile}" holds no PEM certificate`);
  const trusting = (input: string | URL | Request, init?: RequestInit): Promise<Response> => base(input, { ...init, tls: { ca } });
  return Object.assign(trusting, { preconnect: base.preconnect });
}
