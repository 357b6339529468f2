/**
 * Two in-memory `ByteTransport`s joined like the two ends of a cable: bytes
 * written to one end arrive at the other. Lets the reader session and the
 * simulator talk in one process with a fake clock (unit tests, the demo),
 * where a pty pair would need real time. Delivery is asynchronous (a
 * microtask), like a real transport, so a reply is never delivered inside
 * the write that caused it.
 */
import { KioskError } from "@kiosk/contracts";
import type { ByteTransport, TransportClosed } from "../../transport/byte-transport.ts";
import { Listeners } from "../../transport/listeners.ts";

/** The two ends and the cable's controls; see {@linkcode createMemoryLink}. */
export interface MemoryLink {
  /** The end the kiosk opens (the reader session's side). */
  readonly host: ByteTransport;
  /** The end the simulated device serves. */
  readonly device: ByteTransport;
  /** Whether the cable is plugged in. */
  readonly connected: boolean;
  /**
   * Pulls the cable: both open ends close with `unexpected: true`, and
   * `open()` fails with `device-unavailable` until {@linkcode MemoryLink.plugIn}.
   */
  unplug(): void;
  /** Plugs the cable back in; the ends can be opened again. */
  plugIn(): void;
}

/** Options of {@linkcode createMemoryLink}. */
export interface MemoryLinkOptions {
  /** Description of the host end, e.g. `sim:reader`; the device end gets `<description>:device`. */
  readonly description?: string;
}

class MemoryEnd implements ByteTransport {
  readonly description: string;
  readonly #link: LinkState;
  readonly #data = new Listeners<Uint8Array>();
  readonly #close = new Listeners<TransportClosed>();
  peer: MemoryEnd | undefined;
  #open = false;

  constructor(description: string, link: LinkState) {
    this.description = description;
    this.#link = link;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  async open(): Promise<void> {
    if (this.#open) throw new Error(`Cannot open "${this.description}": it is open`);
    if (!this.#link.connected) {
      throw new KioskError("device-unavailable", `"${this.description}" does not exist: the simulated cable is unplugged`);
    }
    this.#open = true;
  }

  async close(): Promise<void> {
    if (!this.#open) return;
    this.#open = false;
    this.#close.emit({ unexpected: false });
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.#open) throw new KioskError("device-unavailable", `Cannot write to "${this.description}": it is closed`);
    // Copied: the caller may reuse its buffer once write() returns.
    const copy = bytes.slice();
    const peer = this.peer;
    queueMicrotask(() => {
      // Bytes sent while nobody listens at the other end are lost, as on a serial line.
      if (peer?.isOpen && this.#link.connected) peer.deliver(copy);
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#data.add(listener);
  }

  onClose(listener: (reason: TransportClosed) => void): () => void {
    return this.#close.add(listener);
  }

  deliver(chunk: Uint8Array): void {
    this.#data.emit(chunk);
  }

  hangUp(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#close.emit({
      unexpected: true,
      error: new KioskError("device-unavailable", `"${this.description}" went away: the simulated cable was unplugged`),
    });
  }
}

interface LinkState {
  connected: boolean;
}

/**
 * Creates a connected pair of in-memory transports.
 *
 * @example
 * ```ts
 * const link = createMemoryLink();
 * const simulator = new ReaderSimulator({ transport: link.device, clock, responder, log });
 * const reader = new IdCardReader({ transportFactory: () => link.host, clock, log });
 * ```
 */
export function createMemoryLink(options: MemoryLinkOptions = {}): MemoryLink {
  const description = options.description ?? "sim:memory";
  const state: LinkState = { connected: true };
  const host = new MemoryEnd(description, state);
  const device = new MemoryEnd(`${description}:device`, state);
  host.peer = device;
  device.peer = host;
  return {
    host,
    device,
    get connected() {
      return state.connected;
    },
    unplug() {
      state.connected = false;
      host.hangUp();
      device.hangUp();
    },
    plugIn() {
      state.connected = true;
    },
  };
}
