/**
 * `ByteTransport` over a USB HID ("driver-free") reader with node-hid's
 * `HIDAsync`. HID moves fixed-size reports, not a byte stream (spec §10.1):
 * - out: a frame is cut into 64-byte output reports, the last one padded
 *   with zeros, each written with the report-ID byte 0x00 in front (hidapi
 *   needs the ID first, and these devices use unnumbered reports), so every
 *   write is 65 bytes;
 * - in: input reports arrive as 64 bytes without the ID. A frame starts at
 *   the start of a report and the rest of its last report is zero padding,
 *   which would look like garbage to the deframer; a `frameLength` function
 *   lets the transport drop it.
 */
import { HIDAsync } from "node-hid";
import { KioskError, silentLogger, systemClock, type Clock, type Logger } from "@kiosk/contracts";
import { HID_REPORT_BYTES } from "../idcard/protocol/constants.ts";
import type { ByteTransport, TransportClosed } from "./byte-transport.ts";
import { Listeners } from "./listeners.ts";

/** The part of node-hid's `HIDAsync` this transport uses; tests pass a fake with the same shape. */
export interface HidDeviceHandle {
  on(event: "data", listener: (report: Buffer) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  removeListener(event: "data", listener: (report: Buffer) => void): unknown;
  removeListener(event: "error", listener: (error: Error) => void): unknown;
  /** Writes one report, report-ID byte first; resolves with the number of bytes written. */
  write(values: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

/** Opens a HID device by its hidraw path. */
export type HidOpener = (path: string) => Promise<HidDeviceHandle>;

/**
 * Tells how long the frame starting at `buffered[0]` is, in bytes, once
 * enough of it is known (the ID-card codec returns 7 + LEN after the 7 header
 * bytes); `undefined` while unknown or when the bytes are not a frame start.
 */
export type FrameLengthFn = (buffered: Uint8Array) => number | undefined;

/** Options for {@linkcode HidTransport}. */
export interface HidTransportOptions {
  /** The hidraw path from `devicesAsync()`, such as `/dev/hidraw0`. */
  path: string;
  /** Opens the device; defaults to {@linkcode openNodeHidDevice}. */
  open?: HidOpener;
  /** Shown in {@linkcode HidTransport.description} instead of the path, such as `"2b8b:2721"`. */
  label?: string;
  /** Report payload size without the ID byte; defaults to {@linkcode HID_REPORT_BYTES} (64, spec §10.1). */
  reportSizeBytes?: number;
  /** Enables dropping the zero padding after each frame; without it every byte of every report is passed on. */
  frameLength?: FrameLengthFn;
  /**
   * A gap between input reports longer than this ends the current frame, so
   * a truncated reply cannot swallow the start of the next one. Defaults to
   * 250 ms; the reports of one reply come within milliseconds of each other.
   */
  interReportTimeoutMs?: number;
  /** Times the inter-report gap; defaults to the system clock. */
  clock?: Clock;
  log?: Logger;
}

// Unnumbered reports are written with report ID 0 in front (spec §10.1, hidapi).
const REPORT_ID = 0x00;
const DEFAULT_INTER_REPORT_TIMEOUT_MS = 250;
const EMPTY = new Uint8Array(0);

/** Opens a device with node-hid's async API. */
export const openNodeHidDevice: HidOpener = (path) => HIDAsync.open(path);

type State = "closed" | "opening" | "open" | "closing";

/**
 * A HID reader as a {@linkcode ByteTransport}.
 *
 * @example
 * ```ts
 * const [candidate] = findHidReaderCandidates(await listHidDevices());
 * const transport = new HidTransport({ path: candidate.path, label: candidate.id, frameLength });
 * await transport.open();
 * ```
 */
export class HidTransport implements ByteTransport {
  readonly description: string;
  readonly #path: string;
  readonly #opener: HidOpener;
  readonly #reportSizeBytes: number;
  readonly #frameLength: FrameLengthFn | undefined;
  readonly #interReportTimeoutMs: number;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #dataListeners = new Listeners<Uint8Array>();
  readonly #closeListeners = new Listeners<TransportClosed>();
  #state: State = "closed";
  #handle: HidDeviceHandle | undefined;
  #closing: Promise<void> | undefined;
  #writeTail: Promise<unknown> = Promise.resolve();
  // Reassembly: bytes of the current frame still expected, or the start of a
  // frame whose length is not known yet.
  #remaining = 0;
  #head: Uint8Array = EMPTY;
  #lastReportAt: number | undefined;

  constructor(options: HidTransportOptions) {
    const reportSizeBytes = options.reportSizeBytes ?? HID_REPORT_BYTES;
    if (!Number.isInteger(reportSizeBytes) || reportSizeBytes < 1) {
      throw new RangeError(`Invalid report size "${reportSizeBytes}": expected a positive integer`);
    }
    this.#path = options.path;
    this.#opener = options.open ?? openNodeHidDevice;
    this.#reportSizeBytes = reportSizeBytes;
    this.#frameLength = options.frameLength;
    this.#interReportTimeoutMs = options.interReportTimeoutMs ?? DEFAULT_INTER_REPORT_TIMEOUT_MS;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
    this.description = `hid:${options.label ?? options.path}`;
  }

  get isOpen(): boolean {
    return this.#state === "open";
  }

  /**
   * Opens the device and starts receiving input reports.
   * @throws {KioskError} `device-unavailable` when the device is missing, busy or not accessible.
   * @throws {Error} when the transport is already open.
   */
  async open(): Promise<void> {
    if (this.#state !== "closed") throw new Error(`Cannot open "${this.description}": it is ${this.#state}`);
    this.#state = "opening";
    let handle: HidDeviceHandle;
    try {
      handle = await this.#opener(this.#path);
    } catch (error) {
      this.#state = "closed";
      throw new KioskError(
        "device-unavailable",
        `Cannot open HID device "${this.#path}": check that the reader is plugged in and that the kiosk user may open /dev/hidraw* (udev rule)`,
        { cause: error, details: { path: this.#path } },
      );
    }
    this.#handle = handle;
    this.#remaining = 0;
    this.#head = EMPTY;
    this.#lastReportAt = undefined;
    this.#state = "open";
    handle.on("data", this.#onReport);
    handle.on("error", this.#onError);
    this.#log.debug(() => `Opened HID device "${this.#path}"`);
  }

  /** Closes the device; listeners get `unexpected: false`. Safe to call when already closed. */
  async close(): Promise<void> {
    if (this.#state === "closing") return this.#closing;
    if (this.#state !== "open") return;
    return this.#beginShutDown({ unexpected: false });
  }

  /**
   * Sends `bytes` as output reports of the report size (64 bytes by default), each prefixed with report ID 0.
   * Concurrent calls are sent one after the other, never interleaved.
   * @throws {KioskError} `device-unavailable` when the transport is closed or the device is gone.
   */
  write(bytes: Uint8Array): Promise<void> {
    const run = this.#writeTail.then(() => this.#writeReports(bytes));
    this.#writeTail = run.catch(() => undefined);
    return run;
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#dataListeners.add(listener);
  }

  onClose(listener: (reason: TransportClosed) => void): () => void {
    return this.#closeListeners.add(listener);
  }

  async #writeReports(bytes: Uint8Array): Promise<void> {
    const size = this.#reportSizeBytes;
    for (let offset = 0; offset < bytes.length; offset += size) {
      const handle = this.#handle;
      if (this.#state !== "open" || handle === undefined) {
        throw new KioskError("device-unavailable", `Cannot write to HID device "${this.#path}": it is ${this.#state}`, {
          details: { path: this.#path },
        });
      }
      // Buffer.alloc zero-fills, which is the padding of the last report.
      const report = Buffer.alloc(size + 1);
      report[0] = REPORT_ID;
      report.set(bytes.subarray(offset, offset + size), 1);
      try {
        await handle.write(report);
      } catch (error) {
        // hidapi fails a write when the device is gone (EIO/ENODEV on hidraw).
        const failure = new KioskError("device-unavailable", `Cannot write to HID device "${this.#path}": the device was unplugged or stopped answering`, {
          cause: error,
          details: { path: this.#path },
        });
        if (this.#state === "open") void this.#beginShutDown({ unexpected: true, error: failure });
        throw failure;
      }
    }
  }

  readonly #onReport = (report: Buffer): void => {
    if (this.#state !== "open") return;
    const frameLength = this.#frameLength;
    if (frameLength === undefined) {
      this.#emit(report);
      return;
    }
    const now = this.#clock.now();
    if (this.#lastReportAt !== undefined && now - this.#lastReportAt > this.#interReportTimeoutMs) {
      this.#remaining = 0;
      this.#head = EMPTY;
    }
    this.#lastReportAt = now;

    if (this.#remaining > 0) {
      const take = Math.min(this.#remaining, report.length);
      this.#remaining -= take;
      this.#emit(report.subarray(0, take));
      return;
    }
    // A new frame starts at this report (or continues one whose length is still unknown).
    const head = concat(this.#head, report);
    const total = frameLength(head);
    if (total === undefined) {
      // Unknown bytes: pass them on and let the deframer judge. Keep the head
      // only while it is shorter than a report, so garbage cannot pile up.
      this.#head = head.length >= this.#reportSizeBytes ? EMPTY : head;
      this.#emit(report);
      return;
    }
    const alreadyEmitted = this.#head.length;
    this.#head = EMPTY;
    const take = Math.max(0, Math.min(total - alreadyEmitted, report.length));
    this.#remaining = Math.max(0, total - alreadyEmitted - take);
    this.#emit(report.subarray(0, take));
  };

  readonly #onError = (error: Error): void => {
    if (this.#state !== "open") return;
    this.#log.warn(`HID device "${this.#path}" failed`, { error: error.message });
    void this.#beginShutDown({
      unexpected: true,
      error: new KioskError("device-unavailable", `HID device "${this.#path}" went away: the device was unplugged or stopped answering`, {
        cause: error,
        details: { path: this.#path },
      }),
    });
  };

  // One shutdown at a time: close() during an unexpected shutdown waits for it.
  #beginShutDown(reason: TransportClosed): Promise<void> {
    this.#state = "closing";
    this.#closing = this.#shutDown(reason);
    return this.#closing;
  }

  async #shutDown(reason: TransportClosed): Promise<void> {
    const handle = this.#handle;
    if (handle !== undefined) {
      handle.removeListener("data", this.#onReport);
      handle.removeListener("error", this.#onError);
      try {
        await handle.close();
      } catch (error) {
        // After an unplug hidapi may fail to close a handle that is already dead; nothing is left to release.
        this.#log.debug(() => `Closing HID device "${this.#path}" failed: ${String(error)}`);
      }
    }
    this.#handle = undefined;
    this.#state = "closed";
    this.#log.debug(() => `Closed HID device "${this.#path}" (unexpected: ${reason.unexpected})`);
    this.#closeListeners.emit(reason);
  }

  #emit(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#dataListeners.emit(chunk);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
