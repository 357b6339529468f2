/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` into a
 * temporary folder, a server on a free loopback port, removed on stop.
 */
import { KioskError } from "@kiosk/contracts";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PG_LIB = "/usr/lib/postgresql";

/** A running throwaway cluster. */
export interface PgCluster {
  /** Connection URL of its `postgres` database, as the `postgres` superuser. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Options of {@linkcode startPgCluster}. */
export interface PgClusterOptions {
  /**
   * Durable commits (fsync on). Tests turn it off for speed; benchmarks keep
   * it on so their figures mean something.
   */
  readonly durable?: boolean;
}

/** The newest PostgreSQL server binaries installed by Debian, or `undefined`. */
export function findPgBin(): string | undefined {
  if (!existsSync(PG_LIB)) return undefined;
  const versions = readdirSync(PG_LIB)
    .filter((v) => existsSync(join(PG_LIB, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(PG_LIB, versions[0], "bin");
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

// initdb refuses to run as root; Debian's package creates a `postgres` user for that.
function asServerUser(argv: string[]): string[] {
  return process.getuid?.() === 0 ? ["runuser", "-u", "postgres", "--", ...argv] : argv;
}

async function run(argv: string[], what: string): Promise<void> {
  const proc = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe" });
  const [code, out, err] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  if (code !== 0) throw new Error(`${what} failed with exit code ${code}: ${(err || out).trim().slice(-800)}`);
}

/**
 * Starts a new cluster.
 * @throws {KioskError} `missing-dependency` when PostgreSQL is not installed.
 */
export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) {
    throw new KioskError("missing-dependency", "PostgreSQL server binaries not found under /usr/lib/postgresql: run \"apt-get install -y postgresql\"");
  }
  const dir = mkdtempSync(join(tmpdir(), "kiosk-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(Bun.spawnSync(["id", "-u", "postgres"]).stdout.toString().trim());
    const gid = Number(Bun.spawnSync(["id", "-g", "postgres"]).stdout.toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  await run(asServerUser([join(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]), "initdb");
  const settings = [
    "-c listen_addresses=127.0.0.1",
    `-c port=${port}`,
    `-c unix_socket_directories=${dir}`,
    "-c max_connections=200",
    ...(options.durable ? [] : ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]),
  ].join(" ");
  const startArgv = [join(bin, "pg_ctl"), "-D", data, "-o", settings, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"];
  await run(asServerUser(startArgv), "pg_ctl start");
  // If this process dies without calling stop() (a crash, kill -9, or a test
  // runner that never emits "exit"), a watchdog stops the cluster and removes it.
  const stopArgv = asServerUser([join(bin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]);
  const quoted = [...stopArgv.map((a) => `'${a}'`), ">/dev/null 2>&1;", "rm -rf", `'${dir}'`].join(" ");
  const watchdog = Bun.spawn(["sh", "-c", `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${quoted}`], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  watchdog.unref();
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      watchdog.kill();
      await run(stopArgv, "pg_ctl stop").finally(() => rmSync(dir, { recursive: true, force: true }));
    },
  };
}
