import { redactConfig } from "@kiosk/contracts";
import { centralConfigSchema, loadCentralConfig, startCentral } from "@kiosk/central";
import { processLogger } from "@kiosk/runtime";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { reportStartFailure, runUntilSignal } from "../run-service.ts";

/** `./kiosk central`: runs the central office service until stopped. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { "print-config": { type: "boolean" } } });
  let config;
  try {
    config = loadCentralConfig(io.env);
  } catch (error) {
    return reportStartFailure(io, "central", error);
  }
  if (values["print-config"]) {
    io.out(`${JSON.stringify(redactConfig(centralConfigSchema, config), null, 2)}\n`);
    return EXIT.ok;
  }
  const log = processLogger("central", config.log.level);
  return runUntilSignal(io, "central", () => startCentral(config, { log }));
}
