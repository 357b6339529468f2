/**
 * `ByteTransport` over a serial port (RS-232, TTL or a USB-CDC bridge) using
 * serialport's `SerialPortStream` with the Bun binding.
 */
import type { BindingInterface } from "@serialport/bindings-interface" with { "resolution-mode": "require" };
import { SerialPortStream } from "@serialport/stream";
import { KioskError, silentLogger, type Logger } from "@kiosk/contracts";
import { BunSerialBinding } from "./bun-serial-binding.ts";
import type { ByteTransport, TransportClosed } from "./byte-transport.ts";
import { Listeners } from "./listeners.ts";

/** Factory default speed of the ID-card readers (spec §1.1). */
export const DEFAULT_SERIAL_BAUD_RATE = 115200;

/** Options for {@linkcode SerialTransport}. */
export interface SerialTransportOptions {
  /** The tty device, such as `/dev/ttyUSB0`. */
  path: string;
  /** Bits per second; defaults to {@linkcode DEFAULT_SERIAL_BAUD_RATE}. Lines are always 8N1 without flow control. */
  baudRate?: number;
  /** The serialport binding; defaults to a new {@linkcode BunSerialBinding}. Tests may pass serialport's `MockBinding`. */
  binding?: BindingInterface;
  log?: Logger;
}

type State = "closed" | "opening" | "open" | "closing";

/**
 * A serial port as a {@linkcode ByteTransport}. Each `open()` creates a fresh
 * `SerialPortStream`; when the device goes away the stream closes and the
 * transport reports `unexpected: true`.
 *
 * @example
 * ```ts
 * const transport = new SerialTransport({ path: "/dev/ttyUSB0" });
 * transport.onData((chunk) => deframer.push(chunk, clock.now()));
 * await transport.open();
 * ```
 */
export class SerialTransport implements ByteTransport {
  readonly description: string;
  readonly #path: string;
  readonly #baudRate: number;
  readonly #binding: BindingInterface | undefined;
  readonly #log: Logger;
  readonly #dataListeners = new Listeners<Uint8Array>();
  readonly #closeListeners = new Listeners<TransportClosed>();
  #state: State = "closed";
  #stream: SerialPortStream | undefined;
  #closeRequested = false;
  #closed: Promise<void> = Promise.resolve();

  constructor(options: SerialTransportOptions) {
    this.#path = options.path;
    this.#baudRate = options.baudRate ?? DEFAULT_SERIAL_BAUD_RATE;
    this.#binding = options.binding;
    this.#log = options.log ?? silentLogger;
    this.description = `serial:${options.path}`;
  }

  get isOpen(): boolean {
    return this.#state === "open";
  }

  /**
   * Opens the port in raw 8N1 mode at the configured speed.
   * @throws {KioskError} `device-unavailable` when the port does not exist, is busy or cannot be configured.
   * @throws {RangeError} for an unsupported baud rate.
   * @throws {Error} when the transport is already open.
   */
  async open(): Promise<void> {
    if (this.#state !== "closed") throw new Error(`Cannot open "${this.description}": it is ${this.#state}`);
    this.#state = "opening";
    const stream = new SerialPortStream({
      binding: this.#binding ?? new BunSerialBinding({ log: this.#log }),
      path: this.#path,
      baudRate: this.#baudRate,
      dataBits: 8,
      stopBits: 1,
      parity: "none",
      rtscts: false,
      xon: false,
      xoff: false,
      autoOpen: false,
    });
    try {
      await new Promise<void>((resolve, reject) => stream.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      this.#state = "closed";
      // Bad options (an unsupported baud rate) are a config mistake; retrying cannot help.
      if (error instanceof TypeError || error instanceof RangeError) throw error;
      throw openError(this.#path, error);
    }

    this.#stream = stream;
    this.#closeRequested = false;
    this.#state = "open";
    this.#closed = new Promise((resolve) => {
      stream.once("close", (error: (Error & { disconnected?: boolean }) | null) => {
        this.#onStreamClosed(stream, error);
        resolve();
      });
    });
    stream.on("data", (chunk: Buffer) => {
      this.#dataListeners.emit(chunk);
    });
    // serialport emits 'error' for failures that have no callback (a failed
    // close, for instance); without a listener they would crash the process.
    stream.on("error", (error: Error) => this.#log.warn(`Serial port error on "${this.#path}"`, { error: error.message }));
    this.#log.debug(() => `Opened "${this.#path}" at ${this.#baudRate} baud`);
  }

  /** Closes the port; listeners get `unexpected: false`. Safe to call when already closed. */
  async close(): Promise<void> {
    const stream = this.#stream;
    if (this.#state === "closed" || stream === undefined) return;
    if (this.#state === "open") {
      this.#state = "closing";
      this.#closeRequested = true;
      // After a disconnect serialport is already closing the port by itself; the
      // 'close' event below settles either way.
      if (stream.isOpen) {
        stream.close((error) => {
          if (error) this.#log.warn(`Cannot close "${this.#path}" cleanly`, { error: error.message });
        });
      }
    }
    await this.#closed;
  }

  /**
   * Writes `bytes` and resolves once the kernel has them.
   * @throws {KioskError} `device-unavailable` when the port is closed or the device is gone.
   */
  async write(bytes: Uint8Array): Promise<void> {
    const stream = this.#stream;
    if (this.#state !== "open" || stream === undefined) {
      throw new KioskError("device-unavailable", `Cannot write to serial port "${this.#path}": it is ${this.#state}`, {
        details: { path: this.#path },
      });
    }
    // A Buffer view, not a copy: serialport's binding needs Buffer methods only on its own pool.
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await new Promise<void>((resolve, reject) => {
      stream.write(chunk, (error) => {
        if (!error) {
          resolve();
          return;
        }
        reject(
          new KioskError("device-unavailable", `Cannot write to serial port "${this.#path}": ${error.message}`, {
            cause: error,
            details: { path: this.#path },
          }),
        );
      });
    });
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#dataListeners.add(listener);
  }

  onClose(listener: (reason: TransportClosed) => void): () => void {
    return this.#closeListeners.add(listener);
  }

  #onStreamClosed(stream: SerialPortStream, error: (Error & { disconnected?: boolean }) | null): void {
    stream.removeAllListeners("data");
    this.#stream = undefined;
    this.#state = "closed";
    const unexpected = !this.#closeRequested;
    const reason: TransportClosed = unexpected
      ? {
          unexpected,
          error: new KioskError("device-unavailable", `Serial port "${this.#path}" went away: the device was unplugged or hung up`, {
            ...(error ? { cause: error } : {}),
            details: { path: this.#path },
          }),
        }
      : { unexpected };
    if (unexpected) this.#log.warn(`Serial port "${this.#path}" disconnected`);
    else this.#log.debug(() => `Closed "${this.#path}"`);
    this.#closeListeners.emit(reason);
  }
}

function openError(path: string, error: unknown): KioskError {
  const e = error as NodeJS.ErrnoException;
  let message: string;
  switch (e.code) {
    case "ENOENT":
    case "ENXIO":
    case "ENODEV":
      message = `Serial port "${path}" does not exist: check that the reader is plugged in and that the configured path is right`;
      break;
    case "EACCES":
    case "EPERM":
      message = `Permission denied opening serial port "${path}": add the kiosk user to the "dialout" group`;
      break;
    case "EAGAIN":
    case "EWOULDBLOCK":
    case "EBUSY":
      message = `Serial port "${path}" is in use by another process: stop that process or choose another port`;
      break;
    case "ENOTTY":
      message = `"${path}" is not a serial port: choose a tty device such as "/dev/ttyUSB0"`;
      break;
    default:
      message = `Cannot open serial port "${path}": ${e.message ?? String(error)}`;
  }
  return new KioskError("device-unavailable", message, { cause: error, details: { path, ...(e.code ? { errno: e.code } : {}) } });
}
