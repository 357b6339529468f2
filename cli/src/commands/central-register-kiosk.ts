/**
 * `./kiosk central register-kiosk --kiosk-id ID --hall HALL --public-key BASE64 [--key-id ID]`:
 * registers a kiosk's Ed25519 public key (and its hall) in central's kiosk
 * directory, in the database central's config names. Prints one JSON line:
 * `{"ok":true,"kioskId","hallId","keyId","created","hallChanged"}`.
 * Exit 0 on success (also when the key was already registered), 2 for bad
 * usage or a refused key, 1 when the database fails.
 */
import { isKioskError } from "@kiosk/contracts";
import { loadCentralConfig, registerKiosk } from "@kiosk/central";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { reportStartFailure } from "../run-service.ts";

const USAGE = "Usage: ./kiosk central register-kiosk --kiosk-id ID --hall HALL --public-key BASE64 [--key-id ID]\n";
// 32 raw bytes are 43 base64 characters plus one padding character; base64url is accepted too.
const PUBLIC_KEY_TEXT = /^[A-Za-z0-9+/_-]{43}={0,1}$/;

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "kiosk-id": { type: "string" },
        hall: { type: "string" },
        "public-key": { type: "string" },
        "key-id": { type: "string" },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  const kioskId = values["kiosk-id"];
  const hallId = values.hall;
  const publicKeyText = values["public-key"];
  if (!kioskId || !hallId || !publicKeyText) {
    io.err(`Missing ${[!kioskId && "--kiosk-id", !hallId && "--hall", !publicKeyText && "--public-key"].filter(Boolean).join(", ")}\n${USAGE}`);
    return EXIT.usage;
  }
  if (!PUBLIC_KEY_TEXT.test(publicKeyText)) {
    io.err(`Invalid --public-key: expected a raw 32-byte Ed25519 public key in base64 (43 characters and one "=")\n`);
    return EXIT.usage;
  }
  let config;
  try {
    config = loadCentralConfig(io.env);
  } catch (error) {
    return reportStartFailure(io, "central", error);
  }
  const publicKey = new Uint8Array(Buffer.from(publicKeyText.replaceAll("-", "+").replaceAll("_", "/"), "base64"));
  try {
    const keyId = values["key-id"];
    const result = await registerKiosk(config, { kioskId, hallId, publicKey, ...(keyId ? { keyId } : {}) });
    io.out(
      `${JSON.stringify({ ok: true, kioskId: result.key.kioskId, hallId: result.key.hallId, keyId: result.key.keyId, created: result.created, hallChanged: result.hallChanged })}\n`,
    );
    return EXIT.ok;
  } catch (error) {
    if (isKioskError(error, "bad-request")) {
      io.err(`Cannot register the key: ${error.message}\n`);
      return EXIT.usage;
    }
    if (isKioskError(error)) {
      io.err(`Cannot register the key: ${error.message} [${error.code}]\n`);
      return EXIT.failure;
    }
    throw error;
  }
}
