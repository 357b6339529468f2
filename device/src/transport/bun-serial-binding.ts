/**
 * A serialport binding for Bun: implements `@serialport/bindings-interface`
 * over the tty device file, so `SerialPortStream` works without
 * `@serialport/bindings-cpp`, whose native poller aborts Bun on `open()`
 * (`unsupported uv function: uv_poll_init`, oven-sh/bun#18546).
 *
 * How the I/O works (measured under Bun 1.4.5 with strace on socat ptys):
 * - The tty is opened with `O_NONBLOCK`. Reads go through
 *   `Bun.file(fd).stream()`: Bun duplicates the descriptor, registers it with
 *   its epoll loop (`EPOLLIN|EPOLLHUP|EPOLLONESHOT`) and reads only when it is
 *   readable, so a pending read never blocks the event loop or a thread.
 *   `reader.cancel()` removes it from epoll and ends the pending read, which
 *   is how `close()` cancels reads.
 * - When the device goes away (pty master closed, USB unplugged) the kernel
 *   hangs the tty up: the pending read ends (`done`, end of file) and writes
 *   fail with `EIO`. Both are reported as disconnect errors, which makes
 *   `SerialPortStream` close itself with a `DisconnectedError`.
 * - Writes use `fs.writeSync` on the non-blocking descriptor: it copies into
 *   the kernel's buffer and returns at once; on `EAGAIN` (buffer full) the
 *   write waits a few milliseconds on the injected clock and retries.
 *   `Bun.file(fd).writer()` is NOT used: for a tty it clears `O_NONBLOCK` on
 *   the shared file description and then blocks the event loop in `write(2)`.
 * - Line settings go through libc (`termios.ts`), never `stty`.
 */
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from "@serialport/bindings-interface" with { "resolution-mode": "require" };
import { sleep, silentLogger, systemClock, type Clock, type Logger } from "@kiosk/contracts";
import { closeSync, constants as fsConstants, openSync, writeSync } from "node:fs";
import { listSerialPortsFromSysfs } from "./sysfs-serial-list.ts";
import { SUPPORTED_BAUD_RATES, Termios, type LineSettings, type Parity } from "./termios.ts";

/** Options for {@linkcode BunSerialBinding}. */
export interface BunSerialBindingOptions {
  /**
   * Lists ports first. Defaults to serialport's own `SerialPort.list()`
   * (udev based), so results match what serialport users expect.
   */
  listPorts?: () => Promise<PortInfo[]>;
  /**
   * Used when `listPorts` fails because `udevadm` is not installed, or finds
   * nothing (udev installed but not running). Defaults to a sysfs scan.
   */
  listPortsFallback?: () => Promise<PortInfo[]>;
  /** Times the write back-off and `drain()`; defaults to the system clock. */
  clock?: Clock;
  log?: Logger;
}

/** An error from a read or write; serialport's stream closes the port unless `canceled` is true. */
export interface BindingError extends Error {
  /** The operation ended because `close()` was called. */
  canceled?: boolean;
  /** The device went away (hangup, unplug). */
  disconnected?: boolean;
  code?: string;
  path?: string;
}

const OPEN_FLAGS = fsConstants.O_RDWR | fsConstants.O_NOCTTY | fsConstants.O_NONBLOCK;
// Back-off while the kernel's output buffer is full: short at first (a pty
// drains within microseconds), capped so a 9600 baud line is not polled hard.
const WRITE_RETRY_MIN_MS = 1;
const WRITE_RETRY_MAX_MS = 20;
// 8N1 sends 10 bits per byte; used to estimate how long queued output takes.
const BITS_PER_BYTE_ON_WIRE = 10;
const PARITIES: ReadonlySet<string> = new Set<Parity>(["none", "even", "odd", "mark", "space"]);

const DEFAULT_OPEN_OPTIONS = {
  dataBits: 8,
  lock: true,
  stopBits: 1,
  parity: "none",
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true,
} as const satisfies Omit<Required<OpenOptions>, "path" | "baudRate">;

/**
 * The binding: pass an instance as `binding` to `SerialPortStream`.
 *
 * @example
 * ```ts
 * const port = new SerialPortStream({ binding: new BunSerialBinding(), path: "/dev/ttyUSB0", baudRate: 115200 });
 * ```
 */
export class BunSerialBinding implements BindingInterface<BunSerialPort, OpenOptions, PortInfo> {
  readonly #options: BunSerialBindingOptions;
  #termios: Termios | undefined;

  constructor(options: BunSerialBindingOptions = {}) {
    this.#options = options;
  }

  /**
   * Lists serial ports, as `SerialPort.list()` does. Falls back to sysfs when
   * udev cannot answer (see {@linkcode BunSerialBindingOptions.listPortsFallback}).
   */
  async list(): Promise<PortInfo[]> {
    const log = this.#options.log ?? silentLogger;
    const primary = this.#options.listPorts ?? listPortsWithUdev;
    try {
      const ports = await primary();
      if (ports.length > 0) return ports;
      log.debug("udev listed no serial ports; scanning sysfs");
    } catch (error) {
      if (!isMissingUdevadm(error)) throw error;
      log.debug("udevadm is not installed; scanning sysfs for serial ports");
    }
    return (this.#options.listPortsFallback ?? listSerialPortsFromSysfs)();
  }

  /**
   * Opens the tty in raw mode with the requested settings and, unless
   * `lock: false`, an exclusive `flock`.
   *
   * @throws {TypeError} when `path` or `baudRate` is missing.
   * @throws {RangeError} for an unsupported baud rate, data bits, stop bits or parity.
   * @throws {Error} a Node-style system error with `code` and `path`: `ENOENT` (no such device),
   *   `EACCES` (no permission), `EAGAIN` with `syscall` `"flock"` (locked by another process),
   *   `ENOTTY` (not a terminal).
   */
  async open(options: OpenOptions): Promise<BunSerialPort> {
    const openOptions = normalizeOpenOptions(options);
    const termios = (this.#termios ??= Termios.load());
    const fd = openSync(openOptions.path, OPEN_FLAGS);
    try {
      if (openOptions.lock) {
        try {
          termios.lock(fd);
        } catch (error) {
          throw withPath(error, openOptions.path, `Serial port "${openOptions.path}" is locked by another process`);
        }
      }
      termios.configure(fd, lineSettings(openOptions));
    } catch (error) {
      closeSync(fd);
      throw withPath(error, openOptions.path);
    }
    const reader = openTtyReader(fd);
    return new BunSerialPort({
      fd,
      openOptions,
      termios,
      reader,
      clock: this.#options.clock ?? systemClock,
      log: this.#options.log ?? silentLogger,
    });
  }
}

// Bun registers the descriptor with epoll and reads only when it is readable (see the file comment).
function openTtyReader(fd: number) {
  return Bun.file(fd).stream().getReader();
}

type TtyReader = ReturnType<typeof openTtyReader>;

interface PortParts {
  fd: number;
  openOptions: Required<OpenOptions>;
  termios: Termios;
  reader: TtyReader;
  clock: Clock;
  log: Logger;
}

/** One open tty; made by {@linkcode BunSerialBinding.open}. */
export class BunSerialPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  readonly #fd: number;
  readonly #termios: Termios;
  readonly #reader: TtyReader;
  readonly #clock: Clock;
  readonly #log: Logger;
  // Aborts write back-off waits when the port closes.
  readonly #closing = new AbortController();
  #open = true;
  // Bun hands over whatever one read(2) returned (up to 256 KiB); what does
  // not fit the caller's buffer waits here for the next read.
  #leftover: Uint8Array | undefined;
  #readTail: Promise<unknown> = Promise.resolve();
  #writeOperation: Promise<void> = Promise.resolve();

  /** @internal Use {@linkcode BunSerialBinding.open}. */
  constructor(parts: PortParts) {
    this.openOptions = parts.openOptions;
    this.#fd = parts.fd;
    this.#termios = parts.termios;
    this.#reader = parts.reader;
    this.#clock = parts.clock;
    this.#log = parts.log;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /**
   * Reads at least one and at most `length` bytes into `buffer` at `offset`,
   * waiting without blocking until some arrive. Rejects with `canceled: true`
   * when the port is closed meanwhile, and with `disconnected: true` when the
   * device goes away.
   */
  read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    checkRange(buffer, offset, length);
    if (!this.#open) return Promise.reject(canceledError());
    // serialport reads one at a time, but ordering the leftover bytes needs
    // reads to run strictly in sequence if a caller ever overlaps them.
    const run = this.#readTail.then(() => this.#readOnce(buffer, offset, length));
    this.#readTail = run.catch(() => undefined);
    return run;
  }

  /**
   * Hands all of `buffer` to the kernel. Rejects with `canceled: true` when
   * the port is closed meanwhile, and with `disconnected: true` when the
   * device is gone (`EIO`).
   */
  write(buffer: Buffer): Promise<void> {
    if (!(buffer instanceof Uint8Array)) return Promise.reject(new TypeError('"buffer" is not a Buffer'));
    if (!this.#open) return Promise.reject(canceledError());
    const operation = this.#writeAll(buffer);
    this.#writeOperation = operation.catch(() => undefined);
    return operation;
  }

  /**
   * Changes the baud rate.
   * @throws {RangeError} for an unsupported rate.
   */
  async update(options: UpdateOptions): Promise<void> {
    if (typeof options?.baudRate !== "number") throw new TypeError('"options.baudRate" is not a number');
    this.#assertOpen();
    this.#termios.setBaudRate(this.#fd, options.baudRate);
  }

  /**
   * Sets DTR, RTS and break (CTS and DSR are inputs and are ignored).
   * Rejects with `ENOTTY` on devices without modem lines, such as ptys.
   */
  async set(options: SetOptions): Promise<void> {
    this.#assertOpen();
    this.#termios.setModemLines(this.#fd, {
      ...(options.dtr === undefined ? {} : { dtr: options.dtr }),
      ...(options.rts === undefined ? {} : { rts: options.rts }),
      ...(options.brk === undefined ? {} : { brk: options.brk }),
    });
  }

  /** Reads CTS, DSR and DCD. Rejects with `ENOTTY` on devices without modem lines, such as ptys. */
  async get(): Promise<PortStatus> {
    this.#assertOpen();
    return this.#termios.getModemStatus(this.#fd);
  }

  /** The baud rate the driver reports. */
  async getBaudRate(): Promise<{ baudRate: number }> {
    this.#assertOpen();
    return { baudRate: this.#termios.getBaudRate(this.#fd) };
  }

  /** Discards unread input and unsent output, in the kernel and in this port. */
  async flush(): Promise<void> {
    this.#assertOpen();
    this.#termios.flush(this.#fd);
    this.#leftover = undefined;
  }

  /**
   * Resolves once every written byte has left the driver. Waits on the clock
   * for the time the queued bytes take at the current baud rate rather than
   * blocking in `tcdrain`, which is called only for the last bytes.
   */
  async drain(): Promise<void> {
    this.#assertOpen();
    await this.#writeOperation;
    for (;;) {
      this.#assertOpen();
      let queued: number;
      try {
        queued = this.#termios.outputQueueBytes(this.#fd);
      } catch (error) {
        // Some drivers do not report the queue; tcdrain alone is still correct, only blocking.
        this.#log.debug(() => `TIOCOUTQ unsupported on "${this.openOptions.path}": ${String(error)}`);
        break;
      }
      if (queued === 0) break;
      const baudRate = this.#termios.getBaudRate(this.#fd) || this.openOptions.baudRate;
      await this.#wait(Math.max(1, Math.ceil((queued * BITS_PER_BYTE_ON_WIRE * 1000) / baudRate)));
    }
    this.#termios.drain(this.#fd);
  }

  /** Cancels pending reads and writes, releases the lock and closes the descriptor. */
  async close(): Promise<void> {
    if (!this.#open) throw new Error("Port is not open");
    this.#open = false;
    this.#closing.abort(canceledError());
    try {
      // Ends the pending read ({done: true}) and takes the duplicate off epoll.
      await this.#reader.cancel();
    } catch (error) {
      // The stream already failed (device gone); there is nothing left to cancel.
      this.#log.debug(() => `Reader of "${this.openOptions.path}" had failed: ${String(error)}`);
    }
    if (this.openOptions.lock) {
      try {
        this.#termios.unlock(this.#fd);
      } catch (error) {
        this.#log.debug(() => `Cannot unlock "${this.openOptions.path}": ${String(error)}`);
      }
    }
    closeSync(this.#fd);
  }

  async #readOnce(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!this.#open) throw canceledError();
    let chunk = this.#leftover;
    this.#leftover = undefined;
    while (chunk === undefined || chunk.length === 0) {
      let result: Awaited<ReturnType<TtyReader["read"]>>;
      try {
        result = await this.#reader.read();
      } catch (error) {
        if (!this.#open) throw canceledError();
        throw disconnectedError(this.openOptions.path, error);
      }
      if (!this.#open) throw canceledError();
      // With VMIN 1 a tty read returns 0 only after a hangup.
      if (result.done) throw disconnectedError(this.openOptions.path);
      chunk = result.value;
    }
    const bytesRead = Math.min(length, chunk.length);
    buffer.set(chunk.subarray(0, bytesRead), offset);
    if (bytesRead < chunk.length) this.#leftover = chunk.subarray(bytesRead);
    return { buffer, bytesRead };
  }

  async #writeAll(buffer: Uint8Array): Promise<void> {
    let offset = 0;
    let retryMs = WRITE_RETRY_MIN_MS;
    while (offset < buffer.length) {
      if (!this.#open) throw canceledError();
      let written = 0;
      try {
        written = writeSync(this.#fd, buffer, offset, buffer.length - offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") {
          if (!this.#open) throw canceledError();
          throw disconnectedError(this.openOptions.path, error);
        }
      }
      if (written > 0) {
        offset += written;
        retryMs = WRITE_RETRY_MIN_MS;
      } else {
        await this.#wait(retryMs);
        retryMs = Math.min(retryMs * 2, WRITE_RETRY_MAX_MS);
      }
    }
  }

  async #wait(delayMs: number): Promise<void> {
    try {
      await sleep(this.#clock, delayMs, this.#closing.signal);
    } catch {
      // The only rejection is the abort from close().
      throw canceledError();
    }
  }

  #assertOpen(): void {
    if (!this.#open) throw new Error("Port is not open");
  }
}

async function listPortsWithUdev(): Promise<PortInfo[]> {
  // Imported on demand: it loads bindings-cpp's native addon, which is only
  // safe for listing under Bun, and opening ports never needs it.
  const { SerialPort } = await import("serialport");
  return SerialPort.list();
}

// Under Bun, spawn() throws ENOENT synchronously for a missing program; under
// Node it arrives as an 'error' event. Either way bindings-cpp passes it on.
function isMissingUdevadm(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code === "ENOENT" && (e.path === "udevadm" || e.syscall === "spawn udevadm");
}

function normalizeOpenOptions(options: OpenOptions): Required<OpenOptions> {
  if (typeof options !== "object" || options === null) throw new TypeError('"options" is not an object');
  if (typeof options.path !== "string" || options.path === "") throw new TypeError('"path" is not a valid port');
  if (typeof options.baudRate !== "number") throw new TypeError('"baudRate" is not a valid baudRate');
  const merged = { ...DEFAULT_OPEN_OPTIONS, ...options } as Required<OpenOptions>;
  if (!SUPPORTED_BAUD_RATES.includes(merged.baudRate)) {
    throw new RangeError(`Unsupported baud rate "${merged.baudRate}": use one of ${SUPPORTED_BAUD_RATES.join(", ")}`);
  }
  if (merged.stopBits !== 1 && merged.stopBits !== 2) {
    throw new RangeError(`Unsupported stop bits "${merged.stopBits}": Linux supports 1 or 2`);
  }
  if (![5, 6, 7, 8].includes(merged.dataBits)) throw new RangeError(`Unsupported data bits "${merged.dataBits}": use 5 to 8`);
  if (!PARITIES.has(merged.parity)) {
    throw new RangeError(`Unsupported parity "${merged.parity}": use one of ${[...PARITIES].join(", ")}`);
  }
  return merged;
}

function lineSettings(options: Required<OpenOptions>): LineSettings {
  return {
    baudRate: options.baudRate,
    dataBits: options.dataBits,
    stopBits: options.stopBits === 2 ? 2 : 1,
    parity: options.parity as Parity,
    rtscts: options.rtscts,
    xon: options.xon,
    xoff: options.xoff,
    xany: options.xany,
    hupcl: options.hupcl,
  };
}

function checkRange(buffer: Buffer, offset: number, length: number): void {
  if (!(buffer instanceof Uint8Array)) throw new TypeError('"buffer" is not a Buffer');
  if (!Number.isInteger(offset) || offset < 0) throw new TypeError(`"offset" is not a non-negative integer: ${offset}`);
  if (!Number.isInteger(length) || length < 1) throw new TypeError(`"length" is not a positive integer: ${length}`);
  if (buffer.length < offset + length) throw new RangeError(`"buffer" is too small: ${buffer.length} < ${offset + length}`);
}

function canceledError(): BindingError {
  return Object.assign(new Error("Port is not open"), { canceled: true });
}

function disconnectedError(path: string, cause?: unknown): BindingError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ?? (cause === undefined ? "hangup (end of file)" : String(cause));
  return Object.assign(new Error(`Serial port "${path}" disconnected: ${reason}`, cause === undefined ? undefined : { cause }), {
    disconnected: true,
    path,
    ...(code === undefined ? {} : { code }),
  });
}

function withPath(error: unknown, path: string, message?: string): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as BindingError;
  e.path ??= path;
  if (message !== undefined) e.message = `${message}: ${e.code ?? e.message}`;
  return e;
}
