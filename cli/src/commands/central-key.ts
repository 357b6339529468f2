/**
 * `./kiosk central key`: prints central's public receipt key as one JSON line
 * `{"algorithm":"ed25519","keyId","publicKey"}` (creating the key file, mode
 * 0600, when it does not exist yet), plus on stderr the kiosk settings to
 * paste. The same is served at `GET /api/v1/central-key`.
 */
import { readCentralKey, loadCentralConfig } from "@kiosk/central";
import { isKioskError } from "@kiosk/contracts";
import { EXIT, type CliIo } from "../io.ts";
import { reportStartFailure } from "../run-service.ts";

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.err(`Unexpected arguments "${args.join(" ")}"\nUsage: ./kiosk central key\n`);
    return EXIT.usage;
  }
  try {
    const key = await readCentralKey(loadCentralConfig(io.env));
    io.out(`${JSON.stringify(key)}\n`);
    io.err(`Configure kiosks with:\n  KIOSK_EDGE_SYNC_CENTRAL_PUBLIC_KEY=${key.publicKey}\n  KIOSK_EDGE_SYNC_CENTRAL_KEY_ID=${key.keyId}\n`);
    return EXIT.ok;
  } catch (error) {
    if (isKioskError(error)) return reportStartFailure(io, "central key", error);
    throw error;
  }
}
