import type { Logger, Service } from "@kiosk/contracts";

/** Options of {@linkcode BunHttpServer}. */
export interface BunHttpServerOptions {
  readonly host: string;
  /** TCP port; 0 picks a free one (read it back from `url`). */
  readonly port: number;
  readonly fetch: (request: Request) => Response | Promise<Response>;
  readonly log: Logger;
  /** How long `stop()` waits for requests in flight before closing connections. */
  readonly drainTimeoutMs?: number;
  /** Certificate chain and private key (PEM text): the server speaks HTTPS only. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

/** Serves a fetch handler with `Bun.serve` (HTTPS when given a certificate), with a graceful stop. */
export class BunHttpServer implements Service {
  readonly name = "http";
  readonly #options: BunHttpServerOptions;
  #server: ReturnType<typeof Bun.serve> | undefined;

  constructor(options: BunHttpServerOptions) {
    this.#options = options;
  }

  /** The address the server listens on, once started. */
  get url(): string {
    if (!this.#server) throw new Error("Cannot read the URL of the HTTP server: it is not started");
    return `${this.#options.tls ? "https" : "http"}://${this.#options.host}:${this.#server.port}`;
  }

  async start(): Promise<void> {
    const { host, port, fetch, tls } = this.#options;
    this.#server = Bun.serve({ hostname: host, port, fetch, idleTimeout: 30, ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}) });
    this.#options.log.info("listening", { url: this.url });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const drainMs = this.#options.drainTimeoutMs ?? 5_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const drained = await Promise.race([
      server.stop(false).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), drainMs))),
    ]);
    clearTimeout(timer);
    if (!drained) {
      this.#options.log.warn("requests still open at stop; closing them", { drainMs });
      await server.stop(true);
    }
  }
}
