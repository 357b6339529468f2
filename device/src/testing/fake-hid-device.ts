/**
 * A stand-in for node-hid's `HIDAsync` at its API level: it records written
 * reports and lets a test emit input reports and errors, so `HidTransport`
 * (and reader code above it) can be tested without `/dev/hidraw*`.
 */
import { EventEmitter } from "node:events";

/** A fake HID device; pass `fake.open` as the transport's opener. */
export class FakeHidDevice extends EventEmitter {
  /** Every report passed to `write()`, as copies, report-ID byte included. */
  readonly writes: Buffer[] = [];
  /** Paths `open` was called with. */
  readonly openedPaths: string[] = [];
  /** Number of `close()` calls. */
  closeCount = 0;
  /** When set, `open` rejects with it (a missing or busy device). */
  openError: Error | undefined;
  /** When set, `write` rejects with it (an unplugged device). */
  writeError: Error | undefined;

  /** The opener to inject: resolves with this device. */
  readonly open = async (path: string): Promise<FakeHidDevice> => {
    this.openedPaths.push(path);
    if (this.openError) throw this.openError;
    return this;
  };

  async write(values: number[] | Buffer): Promise<number> {
    if (this.writeError) throw this.writeError;
    const report = Buffer.from(values);
    this.writes.push(report);
    return report.length;
  }

  async close(): Promise<void> {
    this.closeCount++;
  }

  /** Delivers one input report, as node-hid's 'data' event does. */
  report(bytes: Uint8Array | number[]): void {
    this.emit("data", Buffer.from(bytes));
  }

  /** Fails the device, as node-hid's 'error' event does after an unplug. */
  fail(error: Error = new Error("could not read from HID device")): void {
    this.emit("error", error);
  }
}
