import { redactConfig } from "@kiosk/contracts";
import { edgeConfigSchema, loadEdgeConfig, startEdge } from "@kiosk/edge-server";
import { processLogger } from "@kiosk/runtime";
import { buildUi } from "@kiosk/ui/build";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";
import { reportStartFailure, runUntilSignal } from "../run-service.ts";

/** `./kiosk edge`: builds the kiosk UI, then runs the edge server until stopped. */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { "print-config": { type: "boolean" }, "no-build-ui": { type: "boolean" } } });
  let config;
  try {
    config = loadEdgeConfig(io.env);
  } catch (error) {
    return reportStartFailure(io, "the edge server", error);
  }
  if (values["print-config"]) {
    io.out(`${JSON.stringify(redactConfig(edgeConfigSchema, config), null, 2)}\n`);
    return EXIT.ok;
  }
  const log = processLogger("edge", config.log.level, { kioskId: config.kioskId });
  return runUntilSignal(io, "the edge server", async () => {
    if (!values["no-build-ui"]) {
      const build = await buildUi(config.ui.dir);
      log.info("kiosk UI built", { dir: config.ui.dir, files: build.files.length });
    }
    return startEdge(config, { log });
  });
}
