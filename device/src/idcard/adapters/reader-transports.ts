/**
 * Transport factories for the reader session: they build a real
 * `SerialTransport` or `HidTransport` each time the session (re)connects.
 *
 * The transport modules are imported on first use, not when this module
 * loads: they pull in serialport and node-hid (a native addon), which code
 * that only decodes captures, or runs the simulator over a memory link, must
 * not have to load.
 */
import { KioskError, silentLogger, systemClock, type Clock, type Logger } from "@kiosk/contracts";
import type { ByteTransport } from "../../transport/byte-transport.ts";
import type { HidDeviceInfo } from "../../transport/hid-devices.ts";
import type { HidOpener } from "../../transport/hid-transport.ts";
import { frameLengthOf } from "../protocol/frame-length.ts";
import type { TransportFactory } from "../reader.ts";

/** Options of {@linkcode serialReaderTransport}. */
export interface SerialReaderTransportOptions {
  /** The tty device, such as `/dev/ttyUSB0`. */
  readonly path: string;
  /** Bits per second; defaults to 115200 (spec §1.1). */
  readonly baudRate?: number;
  readonly log?: Logger;
}

/**
 * A factory of serial transports to the reader at `path` (8N1, spec §1.1).
 *
 * @example
 * ```ts
 * new IdCardReader({ transportFactory: serialReaderTransport({ path: "/dev/ttyUSB0" }), clock, log });
 * ```
 */
export function serialReaderTransport(options: SerialReaderTransportOptions): TransportFactory {
  return async (): Promise<ByteTransport> => {
    const { SerialTransport } = await import("../../transport/serial-transport.ts");
    return new SerialTransport({
      path: options.path,
      ...(options.baudRate === undefined ? {} : { baudRate: options.baudRate }),
      ...(options.log === undefined ? {} : { log: options.log }),
    });
  };
}

/** Options of {@linkcode hidReaderTransport}. */
export interface HidReaderTransportOptions {
  /** The reader's USB id, `"VID:PID"` in hex, such as `"2b8b:2721"` (spec §10). */
  readonly vidPid: string;
  /** Lists HID devices; defaults to node-hid's `devicesAsync()`. Tests pass a fake. */
  readonly listDevices?: () => Promise<readonly HidDeviceInfo[]>;
  /** Opens a device; defaults to node-hid's `HIDAsync.open`. Tests pass a fake. */
  readonly open?: HidOpener;
  /** Times the transport's inter-report gap; defaults to the system clock. */
  readonly clock?: Clock;
  readonly log?: Logger;
}

const VID_PID = /^[0-9a-f]{4}:[0-9a-f]{4}$/i;

/**
 * A factory of HID transports to the reader with USB id `vidPid`. Each call
 * looks the device up again (its hidraw path may change after a replug) and
 * passes the codec's frame length so the report padding is dropped (spec §10.1).
 *
 * @throws {SyntaxError} at once when `vidPid` is not `"VID:PID"` in hex.
 * @returns a factory that throws `device-unavailable` when no such device is connected.
 */
export function hidReaderTransport(options: HidReaderTransportOptions): TransportFactory {
  const vidPid = options.vidPid.trim().toLowerCase();
  if (!VID_PID.test(vidPid)) throw new SyntaxError(`Invalid USB id "${options.vidPid}": expected "VID:PID" in hex, such as "2b8b:2721"`);
  return async (): Promise<ByteTransport> => {
    const [{ findHidReaderCandidates, listHidDevices }, { HidTransport }] = await Promise.all([
      import("../../transport/hid-devices.ts"),
      import("../../transport/hid-transport.ts"),
    ]);
    const devices = await (options.listDevices ?? listHidDevices)();
    const [candidate] = findHidReaderCandidates(devices, { known: [], extra: [vidPid] });
    if (!candidate) {
      throw new KioskError("device-unavailable", `No HID device "${vidPid}" is connected: check the USB cable and that the kiosk user may open /dev/hidraw* (udev rule)`, {
        details: { vidPid },
      });
    }
    return new HidTransport({
      path: candidate.path,
      label: candidate.id,
      frameLength: frameLengthOf,
      clock: options.clock ?? systemClock,
      log: options.log ?? silentLogger,
      ...(options.open === undefined ? {} : { open: options.open }),
    });
  };
}
