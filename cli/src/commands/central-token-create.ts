/**
 * `./kiosk central token create --name NAME`: creates an API token for the
 * registration system and prints it once, alone on stdout (central keeps
 * only its SHA-256; a lost token is replaced by creating a new one).
 * Exit 0 on success, 2 for bad usage, 1 when the database fails.
 */
import { isKioskError } from "@kiosk/contracts";
import { createApiToken, loadCentralConfig } from "@kiosk/central";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { reportStartFailure } from "../run-service.ts";

const USAGE = "Usage: ./kiosk central token create --name NAME\n";

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let name: string | undefined;
  try {
    name = parseArgs({ args, options: { name: { type: "string" } } }).values.name;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return EXIT.usage;
  }
  if (!name) {
    io.err(`Missing --name\n${USAGE}`);
    return EXIT.usage;
  }
  let config;
  try {
    config = loadCentralConfig(io.env);
  } catch (error) {
    return reportStartFailure(io, "central", error);
  }
  try {
    const created = await createApiToken(config, name);
    io.out(`${created.token}\n`);
    io.err(`Created API token "${created.name}". It is shown only now: central stores its hash. Send it as "Authorization: Bearer <token>".\n`);
    return EXIT.ok;
  } catch (error) {
    if (isKioskError(error)) {
      io.err(`Cannot create the token: ${error.message} [${error.code}]\n`);
      return error.code === "bad-request" ? EXIT.usage : EXIT.failure;
    }
    throw error;
  }
}
