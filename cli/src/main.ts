/**
 * Entry point of `./kiosk`: hands the command line to the dispatcher.
 */
import { COMMANDS } from "./commands/index.ts";
import { processEnv } from "./config.ts";
import { dispatch } from "./dispatch.ts";
import type { CliIo } from "./io.ts";

const controller = new AbortController();
// The first Ctrl-C asks the running command to stop cleanly; a second one
// ends the process at once.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error(`received ${signal}`));
  });
}

const io: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  env: processEnv(),
  cwd: process.cwd(),
  signal: controller.signal,
};

process.exitCode = await dispatch(COMMANDS, process.argv.slice(2), io);
