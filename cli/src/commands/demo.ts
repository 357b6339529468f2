import { loadCentralConfig, putBlocklist, putMatters, readCentralKey, registerKiosk } from "@kiosk/central";
import { loadOrCreateSigningKey } from "@kiosk/runtime";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ChildService, httpReady } from "../child-service.ts";
import { EXIT, type CliIo } from "../io.ts";
import { demoBlocklist, demoMatters, loadDemoCardholders, mattersPerCard } from "./demo-matters.ts";

const DEMO_KIOSK_ID = "demo-hall-01-k01";
const DEMO_HALL_ID = "demo-hall-01";
// Longest unix socket path Linux takes (sun_path is 108 bytes with its NUL).
const MAX_SOCKET_PATH_BYTES = 107;
// A kiosk shows matters changed in the last 7 days: the demo re-dates its
// matters once they are a day old, so a data dir from last week still shows them.
const MATTER_RESTAMP_AFTER_MS = 24 * 60 * 60 * 1000;

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new RangeError(`Invalid ${flag} "${value}": expected a port number 1-65535`);
  return n;
}

/**
 * `./kiosk demo`: runs central (embedded SQLite) holding a few open matters
 * of the demo cardholders, a simulated ID-card reader on a pty, and one
 * kiosk's edge server in demo mode reading it through the real serial stack
 * with the demo camera, each as its own process, until Ctrl-C. The demo page
 * (`/demo/`) places cards on the simulated reader through its control socket
 * and chooses who stands in front of the demo camera. It needs nothing
 * beyond Bun and the npm packages: the reader's pty link is made through
 * libc (no socat) and the camera replays images (no ffmpeg).
 */
export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      "edge-port": { type: "string" },
      "central-port": { type: "string" },
      "data-dir": { type: "string" },
      host: { type: "string" },
    },
  });
  let edgePort: number;
  let centralPort: number;
  try {
    edgePort = port(values["edge-port"], 8600, "--edge-port");
    centralPort = port(values["central-port"], 8700, "--central-port");
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return EXIT.usage;
  }
  const host = values.host ?? "127.0.0.1";
  const dataDir = resolve(io.cwd, values["data-dir"] ?? "var/demo");
  const logDir = join(dataDir, "logs");
  if (Buffer.byteLength(join(dataDir, "reader.sock")) > MAX_SOCKET_PATH_BYTES) {
    io.err(`Data dir "${dataDir}" is too long for the reader's control socket (at most ${MAX_SOCKET_PATH_BYTES - "/reader.sock".length} bytes): choose a shorter --data-dir\n`);
    return EXIT.usage;
  }
  const holders = await loadDemoCardholders();
  const matters = demoMatters(holders, DEMO_HALL_ID);
  const perCard = Object.entries(mattersPerCard(holders, matters)).map(([card, n]) => `${card} card ${n === 0 ? "none" : n}`);
  mkdirSync(logDir, { recursive: true });

  // The demo always runs on embedded SQLite, whatever the shell has set.
  const baseEnv = { ...io.env, DATABASE_URL: undefined };
  const centralUrl = `http://${host}:${centralPort}`;
  const edgeUrl = `http://${host}:${edgePort}`;
  const warn = (line: string) => io.err(`${line}\n`);
  const children: ChildService[] = [];
  const stopAll = async () => {
    for (const child of [...children].reverse()) await child.stop();
  };

  const centralEnv = {
    ...baseEnv,
    KIOSK_CENTRAL_HTTP_HOST: host,
    KIOSK_CENTRAL_HTTP_PORT: String(centralPort),
    KIOSK_CENTRAL_DATABASE_SQLITE_PATH: join(dataDir, "central", "central.db"),
    KIOSK_CENTRAL_KEYS_RECEIPT_KEY_PATH: join(dataDir, "central", "keys", "receipt.key"),
  };
  const kioskSigningKeyPath = join(dataDir, "edge", "keys", "signing.key");

  try {
    io.err("Starting central…\n");
    children.push(
      await ChildService.start(
        {
          name: "central",
          args: ["central"],
          env: centralEnv,
          ready: httpReady(`${centralUrl}/api/health`),
          readyWhat: `${centralUrl}/api/health answers`,
          logDir,
        },
        warn,
      ),
    );
    // What a technician does at enrolment: the kiosk learns central's receipt
    // key, and central learns the kiosk's signing key and hall.
    const centralConfig = loadCentralConfig(centralEnv);
    const centralKey = await readCentralKey(centralConfig);
    const kioskKey = await loadOrCreateSigningKey(kioskSigningKeyPath);
    await registerKiosk(centralConfig, { kioskId: DEMO_KIOSK_ID, hallId: DEMO_HALL_ID, publicKey: kioskKey.publicKey });
    // What the registration system does: open matters naming the demo
    // cardholders and the lost card on the blocklist, written before the
    // kiosk starts so its first sync pull brings them. Writing them again on
    // a restart changes nothing but the date of matters older than a day.
    io.err("Writing the demo cardholders' open matters and the blocklist to central…\n");
    await putMatters(centralConfig, matters, { restampOlderThanMs: MATTER_RESTAMP_AFTER_MS });
    await putBlocklist(centralConfig, demoBlocklist(holders));
    io.err("Starting the simulated ID-card reader…\n");
    const readerLink = join(dataDir, "reader-tty");
    // A unix socket path must fit 108 bytes: the data dir's is short enough in practice.
    const readerControl = join(dataDir, "reader.sock");
    children.push(
      await ChildService.start(
        {
          name: "reader",
          args: ["idcard", "simulate", "--port", readerLink, "--empty", "--control", readerControl],
          env: baseEnv,
          ready: async () => existsSync(readerLink) && existsSync(readerControl),
          readyWhat: `${readerLink} and ${readerControl} exist`,
          logDir,
        },
        warn,
      ),
    );
    io.err("Starting the kiosk's edge server…\n");
    children.push(
      await ChildService.start(
        {
          name: "edge",
          args: ["edge"],
          env: {
            ...baseEnv,
            KIOSK_EDGE_KIOSK_ID: DEMO_KIOSK_ID,
            KIOSK_EDGE_HTTP_HOST: host,
            KIOSK_EDGE_HTTP_PORT: String(edgePort),
            KIOSK_EDGE_UI_DIR: join(dataDir, "ui"),
            KIOSK_EDGE_CENTRAL_URL: centralUrl,
            KIOSK_EDGE_CENTRAL_HEARTBEAT_INTERVAL_MS: io.env["KIOSK_EDGE_CENTRAL_HEARTBEAT_INTERVAL_MS"] ?? "5000",
            KIOSK_EDGE_DEVICES_READER_SERIAL_PATH: readerLink,
            KIOSK_EDGE_DEMO_ENABLED: "true",
            KIOSK_EDGE_DEMO_READER_CONTROL: readerControl,
            KIOSK_EDGE_SYNC_DB_PATH: join(dataDir, "edge", "kiosk.db"),
            KIOSK_EDGE_SYNC_DATA_KEY_FILE: join(dataDir, "edge", "keys", "data.key"),
            KIOSK_EDGE_SYNC_SIGNING_KEY_FILE: kioskSigningKeyPath,
            KIOSK_EDGE_SYNC_CENTRAL_PUBLIC_KEY: centralKey.publicKey,
            KIOSK_EDGE_SYNC_CENTRAL_KEY_ID: centralKey.keyId,
          },
          ready: httpReady(`${edgeUrl}/api/health`),
          readyWhat: `${edgeUrl}/api/health answers`,
          logDir,
        },
        warn,
      ),
    );
  } catch (error) {
    io.err(`Demo failed to start: ${(error as Error).message}\n`);
    await stopAll();
    return EXIT.failure;
  }

  io.out(
    [
      "",
      "Shiming Kiosk demo is running (simulated reader on a pty, replayed camera, embedded SQLite).",
      `  Demo page:        ${edgeUrl}/demo/   (play the applicant: cards, camera, reader)`,
      `  Kiosk UI:         ${edgeUrl}/`,
      `  Kiosk health:     ${edgeUrl}/api/health`,
      `  Central console:  ${centralUrl}/`,
      `  Open matters:     ${perCard.join(", ")}`,
      `  Data and logs:    ${dataDir}`,
      "Press Ctrl-C to stop.",
      "",
    ].join("\n"),
  );

  const crashed = await Promise.race([
    new Promise<undefined>((resolve) => io.signal.addEventListener("abort", () => resolve(undefined), { once: true })),
    ...children.map((child) => child.exited.then(() => child)),
  ]);
  // A terminal Ctrl-C reaches the children too; their exit is then expected.
  if (crashed && !crashed.stopping && !io.signal.aborted) {
    io.err(`${crashed.name} stopped unexpectedly (exit code ${crashed.exitCode}); see ${crashed.logPath}\n`);
    await stopAll();
    return EXIT.failure;
  }
  io.err("Stopping…\n");
  await stopAll();
  io.err("Demo stopped.\n");
  return EXIT.ok;
}
