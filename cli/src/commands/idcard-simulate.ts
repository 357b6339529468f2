/**
 * `./kiosk idcard simulate --port LINK [--card CARD.json] [--baud N]
 * [--no-pacing] [--module-ms N] [--faults SCRIPT.json] [--no-reread]`:
 * a simulated ID-card reader on a pseudo-terminal, until Ctrl-C.
 *
 * The command links two kernel ptys itself (no socat, see
 * `startFfiPtyLink`); LINK becomes a symlink to the end a kiosk (or
 * `./kiosk idcard read --port LINK`) opens, and the simulator serves the
 * other end. Without --card the demo resident card is used. One line on
 * stdout says the reader is ready. Exit codes: 0 after Ctrl-C, 1 when the
 * pty link fails, 2 for bad usage or a bad card or fault file.
 */
import {
  DEFAULT_MODULE_MS,
  ReaderResponder,
  ReaderSimulator,
  demoCardPath,
  loadCardFile,
  parseFaultScript,
  serialReaderTransport,
  type FaultScript,
  type LoadedCard,
  type PtyLink,
} from "@kiosk/device";
import { startFfiPtyLink } from "@kiosk/device/adapters";
import { systemClock } from "@kiosk/contracts";
import { lstatSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { EXIT, type CliIo } from "../io.ts";

const DEFAULT_BAUD = 115200;

function positiveInteger(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Invalid ${flag} "${value}": expected a whole number`);
  return n;
}

/** Why LINK cannot be used, or `undefined` when the link may be created (or replaced). */
function linkProblem(path: string): string | undefined {
  let isLink: boolean;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    return undefined; // does not exist: fine
  }
  if (!isLink) return `"${path}" exists and is not a symlink: choose another --port path`;
  try {
    statSync(path);
  } catch {
    return undefined; // a dangling link left by a killed simulator: replaced
  }
  return `"${path}" already links to a live pty: another simulator may be running; stop it or remove the link`;
}

/** Runs the command; resolves to the exit code. */
export async function run(args: string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        card: { type: "string" },
        baud: { type: "string" },
        "no-pacing": { type: "boolean" },
        "module-ms": { type: "string" },
        faults: { type: "string" },
        "no-reread": { type: "boolean" },
      },
    }));
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  if (values.port === undefined) {
    io.err("Missing --port LINK: the path of the symlink a kiosk will open, such as /tmp/kiosk-reader\n");
    return EXIT.usage;
  }
  let baudRate: number;
  let moduleMs: number | undefined;
  try {
    baudRate = positiveInteger(values.baud, "--baud") ?? DEFAULT_BAUD;
    moduleMs = positiveInteger(values["module-ms"], "--module-ms");
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const linkPath = resolve(io.cwd, values.port);
  const problem = linkProblem(linkPath);
  if (problem) {
    io.err(`${problem}\n`);
    return EXIT.usage;
  }

  const cardPath = values.card === undefined ? demoCardPath() : resolve(io.cwd, values.card);
  let card: LoadedCard;
  let faults: FaultScript | undefined;
  try {
    card = await loadCardFile(cardPath);
    if (values.faults !== undefined) faults = parseFaultScript(JSON.parse(await readFile(resolve(io.cwd, values.faults), "utf8")));
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const dir = await mkdtemp(join(tmpdir(), "kiosk-idcard-sim-"));
  let link: PtyLink | undefined;
  let simulator: ReaderSimulator | undefined;
  try {
    link = await startFfiPtyLink({ pathA: linkPath, pathB: join(dir, "reader") });
    const transport = await serialReaderTransport({ path: link.pathB, baudRate })();
    const died = new Promise<void>((resolveDied) => {
      transport.onClose((reason) => {
        if (reason.unexpected) resolveDied();
      });
    });
    const pacing = values["no-pacing"] !== true;
    simulator = new ReaderSimulator({
      transport,
      clock: systemClock,
      responder: new ReaderResponder({ card: card.simulated, rereadBehaviour: values["no-reread"] ? "reads-once" : "rereads" }),
      baudRate,
      pacing,
      ...(moduleMs === undefined ? {} : { moduleMs: { readBase: moduleMs, readBaseWithFingerprint: moduleMs } }),
      ...(faults === undefined ? {} : { faults }),
    });
    await simulator.start();
    const cardLabel = `${values.card === undefined ? "demo card" : "card"} "${basename(cardPath)}"`;
    const pace = pacing ? `paced at ${baudRate} baud, chip read ${moduleMs ?? DEFAULT_MODULE_MS.readBase} ms` : "pacing off";
    io.out(
      `Simulated ID-card reader ready on ${linkPath}: ${cardLabel} (${card.card.cardType}) on the reader, ${pace}, ` +
        `${values["no-reread"] ? "reads a card once" : "rereads"}${faults ? `, ${faults.steps.length} fault steps` : ""}; Ctrl-C stops it\n`,
    );
    const stopped = new Promise<"stopped">((resolveStopped) => {
      if (io.signal.aborted) resolveStopped("stopped");
      io.signal.addEventListener("abort", () => resolveStopped("stopped"), { once: true });
    });
    const outcome = await Promise.race([stopped, died.then(() => "died" as const)]);
    if (outcome === "died") {
      io.err("The pty link went away: the simulator's end hung up\n");
      return EXIT.failure;
    }
    return EXIT.ok;
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.failure;
  } finally {
    await simulator?.stop();
    await link?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
