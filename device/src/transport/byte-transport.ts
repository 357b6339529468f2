/**
 * The port every hardware driver talks through. A transport only moves
 * bytes: it knows nothing of frames, commands or cards. Serial, HID,
 * simulated and replay transports all implement it, and the composition root
 * injects one into the driver.
 */

/** Why a transport closed. */
export interface TransportClosed {
  /** `true` when the device went away (unplugged, pty closed) rather than `close()` being called. */
  readonly unexpected: boolean;
  readonly error?: Error;
}

/** A bidirectional byte stream to one device. */
export interface ByteTransport {
  /** Where the bytes go, for logs and status, such as `serial:/dev/ttyUSB0` or `hid:0400:c35a`. */
  readonly description: string;
  readonly isOpen: boolean;
  /**
   * Opens the device.
   * @throws {KioskError} `device-unavailable` when the device is missing or busy.
   */
  open(): Promise<void>;
  /** Closes the device; safe to call when already closed. */
  close(): Promise<void>;
  /**
   * Writes all of `bytes`.
   * @throws {KioskError} `device-unavailable` when the device is closed or gone.
   */
  write(bytes: Uint8Array): Promise<void>;
  /** Registers a listener for received bytes; returns a function that removes it. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /** Registers a listener for the transport closing; returns a function that removes it. */
  onClose(listener: (reason: TransportClosed) => void): () => void;
}
