/**
 * Serves the simulator's control channel (`simulator-control.ts`) as HTTP on
 * a unix socket, through `Bun.serve`. Only processes that may open the socket
 * file can reach it: no TCP port is opened.
 */
import { rm } from "node:fs/promises";

/** A running control server. */
export interface UnixControlServer {
  readonly path: string;
  /** Closes the socket and removes its file. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Listens on `path` (a stale socket file there is replaced) and answers every
 * request with `handle`.
 *
 * @throws {Error} when the socket cannot be created (no such folder, no permission).
 *
 * @example
 * ```ts
 * const server = await serveUnixControl("/tmp/kiosk-reader.control", (request) => control.handle(request));
 * await fetch("http://simulator/cards", { unix: server.path });
 * ```
 */
export async function serveUnixControl(path: string, handle: (request: Request) => Promise<Response>): Promise<UnixControlServer> {
  await rm(path, { force: true });
  const server = Bun.serve({ unix: path, fetch: handle });
  let stopped: Promise<void> | undefined;
  return {
    path,
    stop: () => {
      stopped ??= (async () => {
        await server.stop(true);
        await rm(path, { force: true });
      })();
      return stopped;
    },
  };
}
