/**
 * `./kiosk idcard simulate --port LINK [--card CARD.json] [--empty] [--baud N]
 * [--no-pacing] [--module-ms N] [--faults SCRIPT.json] [--no-reread]
 * [--control SOCKET [--cards DIR]]`:
 * a simulated ID-card reader on a pseudo-terminal, until Ctrl-C.
 *
 * The command links two kernel ptys itself (no socat, see
 * `startFfiPtyLink`); LINK becomes a symlink to the end a kiosk (or
 * `./kiosk idcard read --port LINK`) opens, and the simulator serves the
 * other end. Without --card the demo resident card is used; --empty starts
 * with no card on the reader (place one through the control channel). One
 * line on stdout says the reader is ready.
 *
 * With --control, the simulator also answers HTTP on the unix socket SOCKET
 * (`simulator-control.ts`): list the cards of DIR (default the demo cards),
 * place one by id, take it off, and unplug or replug the reader (the pty
 * link is closed, and made again at LINK). Exit codes: 0 after Ctrl-C, 1 when the
 * pty link fails, 2 for bad usage or a bad card or fault file.
 */
import {
  DEFAULT_MODULE_MS,
  DEMO_CARDS_DIR,
  ReaderLine,
  ReaderResponder,
  ReaderSimulator,
  SimulatorControl,
  demoCardPath,
  loadCardFile,
  loadCardFolder,
  parseFaultScript,
  serialReaderTransport,
  type CardFolder,
  type FaultScript,
  type LoadedCard,
  type ReaderConnection,
} from "@kiosk/device";
import { serveUnixControl, startFfiPtyLink, type UnixControlServer } from "@kiosk/device/adapters";
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
        empty: { type: "boolean" },
        baud: { type: "string" },
        "no-pacing": { type: "boolean" },
        "module-ms": { type: "string" },
        faults: { type: "string" },
        "no-reread": { type: "boolean" },
        control: { type: "string" },
        cards: { type: "string" },
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

  if (values.cards !== undefined && values.control === undefined) {
    io.err("--cards needs --control SOCKET: the card folder is what the control channel offers\n");
    return EXIT.usage;
  }
  const cardPath = values.card === undefined ? demoCardPath() : resolve(io.cwd, values.card);
  const cardsDir = values.cards === undefined ? DEMO_CARDS_DIR : resolve(io.cwd, values.cards);
  let card: LoadedCard;
  let folder: CardFolder | undefined;
  let faults: FaultScript | undefined;
  try {
    card = await loadCardFile(cardPath);
    if (values.control !== undefined) folder = await loadCardFolder(cardsDir);
    if (values.faults !== undefined) faults = parseFaultScript(JSON.parse(await readFile(resolve(io.cwd, values.faults), "utf8")));
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }

  const dir = await mkdtemp(join(tmpdir(), "kiosk-idcard-sim-"));
  const pacing = values["no-pacing"] !== true;
  const empty = values.empty === true;
  const responder = new ReaderResponder({ card: card.simulated, cardPresent: !empty, rereadBehaviour: values["no-reread"] ? "reads-once" : "rereads" });
  // One plugged-in period: a pty link at LINK and a simulator serving its far end.
  const connect = async (onLost: () => void): Promise<ReaderConnection> => {
    const link = await startFfiPtyLink({ pathA: linkPath, pathB: join(dir, "reader") });
    try {
      const transport = await serialReaderTransport({ path: link.pathB, baudRate })();
      transport.onClose((reason) => {
        if (reason.unexpected) onLost();
      });
      const simulator = new ReaderSimulator({
        transport,
        clock: systemClock,
        responder,
        baudRate,
        pacing,
        ...(moduleMs === undefined ? {} : { moduleMs: { readBase: moduleMs, readBaseWithFingerprint: moduleMs } }),
        ...(faults === undefined ? {} : { faults }),
      });
      await simulator.start();
      return {
        stop: async () => {
          await simulator.stop();
          await link.stop();
        },
      };
    } catch (error) {
      await link.stop();
      throw error;
    }
  };
  let resolveDied: () => void = () => undefined;
  const died = new Promise<void>((resolveLost) => (resolveDied = resolveLost));
  const line = new ReaderLine({ connect, onLost: () => resolveDied() });
  let server: UnixControlServer | undefined;
  try {
    await line.replug();
    if (folder !== undefined && values.control !== undefined) {
      const placed = [...folder.keys()].find((id) => join(cardsDir, `${id}.json`) === cardPath);
      const control = new SimulatorControl({ cards: folder, reader: responder, plug: line, ...(placed === undefined || empty ? {} : { placed }) });
      server = await serveUnixControl(resolve(io.cwd, values.control), (request) => control.handle(request));
    }
    const cardLabel = `${values.card === undefined ? "demo card" : "card"} "${basename(cardPath)}"`;
    const pace = pacing ? `paced at ${baudRate} baud, chip read ${moduleMs ?? DEFAULT_MODULE_MS.readBase} ms` : "pacing off";
    io.out(
      `Simulated ID-card reader ready on ${linkPath}: ${empty ? "no card" : `${cardLabel} (${card.card.cardType})`} on the reader, ${pace}, ` +
        `${values["no-reread"] ? "reads a card once" : "rereads"}${faults ? `, ${faults.steps.length} fault steps` : ""}` +
        `${server ? `, control socket ${server.path} (${folder?.size ?? 0} cards)` : ""}; Ctrl-C stops it\n`,
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
    await server?.stop();
    await line.unplug();
    await rm(dir, { recursive: true, force: true });
  }
}
