/**
 * The simulated reader's cable: the pty link and the simulator serving it,
 * which a demo pulls out (the kiosk's port hangs up and its device path goes
 * away) and plugs back in (a new link at the same path). The card and SAM
 * state live in the responder, which outlives every connection.
 */
import type { ReaderPlug } from "./simulator-control.ts";

/** One plugged-in period of the reader: stopping it hangs the kiosk's port up. */
export interface ReaderConnection {
  stop(): Promise<void>;
}

/** Options of {@linkcode ReaderLine}. */
export interface ReaderLineOptions {
  /** Makes the link and starts serving it; `onLost` is called when the link fails while plugged in. */
  readonly connect: (onLost: () => void) => Promise<ReaderConnection>;
  /** Called when a connection fails on its own (not when unplugged or stopped). */
  readonly onLost?: () => void;
}

/**
 * Connects, unplugs and replugs a simulated reader.
 *
 * @example
 * ```ts
 * const line = new ReaderLine({ connect: async () => startLinkAndSimulator() });
 * await line.replug();
 * await line.unplug();
 * ```
 */
export class ReaderLine implements ReaderPlug {
  readonly #connect: ReaderLineOptions["connect"];
  readonly #onLost: () => void;
  #connection: ReaderConnection | undefined;
  // Serializes plug changes: a replug never races an unplug.
  #queue: Promise<void> = Promise.resolve();

  constructor(options: ReaderLineOptions) {
    this.#connect = options.connect;
    this.#onLost = options.onLost ?? (() => undefined);
  }

  /** Whether the reader is plugged in. */
  get connected(): boolean {
    return this.#connection !== undefined;
  }

  /** Plugs the reader in; nothing happens when it is. */
  replug(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#connection) return;
      let current: ReaderConnection | undefined;
      const lost = () => {
        if (current && this.#connection === current) {
          this.#connection = undefined;
          this.#onLost();
        }
      };
      current = await this.#connect(lost);
      this.#connection = current;
    });
  }

  /** Pulls the reader out; nothing happens when it is not plugged in. */
  unplug(): Promise<void> {
    return this.#enqueue(async () => {
      const connection = this.#connection;
      this.#connection = undefined;
      await connection?.stop();
    });
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
