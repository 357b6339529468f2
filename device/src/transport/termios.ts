/**
 * Terminal line settings (termios), modem lines and port locking for a tty
 * file descriptor, through `bun:ffi` calls into libc. This replaces the
 * native addon of `@serialport/bindings-cpp`, which aborts Bun when a port is
 * opened (see `notes/toolchain.md`).
 *
 * Linux only: the flag values, the `struct termios` layout and the ioctl
 * numbers below are those of Linux on x86-64 and arm64 (asm-generic); other
 * architectures (mips, powerpc, sparc) and other kernels use different ones.
 */
import { dlopen, FFIType, read, type Pointer } from "bun:ffi";
import { getSystemErrorName } from "node:util";

/** Parity settings accepted by {@linkcode Termios.configure}, as named by serialport. */
export type Parity = "none" | "even" | "odd" | "mark" | "space";

/** Line settings applied by {@linkcode Termios.configure}. */
export interface LineSettings {
  /** Bits per second; one of {@linkcode SUPPORTED_BAUD_RATES}. */
  readonly baudRate: number;
  readonly dataBits: 5 | 6 | 7 | 8;
  /** Linux has no 1.5 stop bits. */
  readonly stopBits: 1 | 2;
  readonly parity: Parity;
  /** Hardware (RTS/CTS) flow control. */
  readonly rtscts: boolean;
  /** Software flow control: honour XON/XOFF from the device. */
  readonly xon: boolean;
  /** Software flow control: send XON/XOFF to the device. */
  readonly xoff: boolean;
  /** Any received byte restarts stopped output. */
  readonly xany: boolean;
  /** Drop DTR when the last descriptor is closed. */
  readonly hupcl: boolean;
}

/** Output modem lines; `undefined` leaves a line as it is. */
export interface ModemLines {
  readonly dtr?: boolean;
  readonly rts?: boolean;
  /** Holds the line in the break condition while true. */
  readonly brk?: boolean;
}

/** Input modem lines as read by {@linkcode Termios.getModemStatus}. */
export interface ModemStatus {
  readonly cts: boolean;
  readonly dsr: boolean;
  readonly dcd: boolean;
}

/** An `Error` shaped like Node's system errors: `errno`, `code` (`"ENOTTY"`), `syscall` and maybe `path`. */
export interface SystemError extends Error {
  errno: number;
  code: string;
  syscall: string;
  path?: string;
}

// <asm-generic/termbits.h>: Bxxx speed codes. Rates above 38400 set the CBAUDEX bit (0o10000).
const SPEED_CODES: ReadonlyMap<number, number> = new Map([
  [1200, 0o11],
  [2400, 0o13],
  [4800, 0o14],
  [9600, 0o15],
  [19200, 0o16],
  [38400, 0o17],
  [57600, 0o10001],
  [115200, 0o10002],
  [230400, 0o10003],
  [460800, 0o10004],
  [921600, 0o10007],
]);

/** Baud rates the port accepts. The ID-card readers use 115200 by default and 57600, 38400, 19200 or 9600 (spec §1.1). */
export const SUPPORTED_BAUD_RATES: readonly number[] = [...SPEED_CODES.keys()];

// struct termios (glibc and musl, Linux): four tcflag_t words, c_line, c_cc[32],
// padding, then c_ispeed and c_ospeed: 60 bytes. 64 leaves room for either libc.
const TERMIOS_SIZE_BYTES = 64;
const C_IFLAG = 0;
const C_CFLAG = 2;
const C_CC_OFFSET_BYTES = 17;
const VTIME = 5;
const VMIN = 6;

// c_iflag bits
const IXON = 0o2000;
const IXANY = 0o4000;
const IXOFF = 0o10000;
const INPCK = 0o20;
// c_cflag bits
const CSIZE = 0o60;
const CS_BY_DATA_BITS = { 5: 0o0, 6: 0o20, 7: 0o40, 8: 0o60 } as const;
const CSTOPB = 0o100;
const CREAD = 0o200;
const PARENB = 0o400;
const PARODD = 0o1000;
const HUPCL = 0o2000;
const CLOCAL = 0o4000;
const CMSPAR = 0o10000000000;
const CRTSCTS = 0o20000000000;

const TCSANOW = 0;
const TCIOFLUSH = 2;

// <asm-generic/ioctls.h>
const TIOCOUTQ = 0x5411;
const TIOCMGET = 0x5415;
const TIOCMBIS = 0x5416;
const TIOCMBIC = 0x5417;
const TIOCSBRK = 0x5427;
const TIOCCBRK = 0x5428;
// <asm-generic/termios.h> modem bits
const TIOCM_DTR = 0x002;
const TIOCM_RTS = 0x004;
const TIOCM_CTS = 0x020;
const TIOCM_CAR = 0x040;
const TIOCM_DSR = 0x100;

// <sys/file.h>
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;

const SUPPORTED_ARCHS = new Set(["x64", "arm64"]);
const LIBC_NAMES = ["libc.so.6", "libc.so"];

const SYMBOLS = {
  tcgetattr: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  tcsetattr: { args: [FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  cfmakeraw: { args: [FFIType.ptr], returns: FFIType.void },
  cfsetispeed: { args: [FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  cfsetospeed: { args: [FFIType.ptr, FFIType.u32], returns: FFIType.i32 },
  cfgetospeed: { args: [FFIType.ptr], returns: FFIType.u32 },
  tcflush: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  tcdrain: { args: [FFIType.i32], returns: FFIType.i32 },
  // ioctl is variadic; every request used here takes an int* (or ignores its
  // argument), which the x86-64 and arm64 Linux ABIs pass like a fixed pointer argument.
  ioctl: { args: [FFIType.i32, FFIType.u64, FFIType.ptr], returns: FFIType.i32 },
  flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  __errno_location: { args: [], returns: FFIType.ptr },
} as const;

type Libc = ReturnType<typeof dlopen<typeof SYMBOLS>>["symbols"];

/**
 * Builds a Node-style system error from an errno value.
 *
 * @example
 * ```ts
 * throw systemError(25, "tcgetattr", "/dev/ttyUSB0"); // code "ENOTTY"
 * ```
 */
export function systemError(errno: number, syscall: string, path?: string): SystemError {
  const code = getSystemErrorName(-errno);
  const where = path === undefined ? "" : ` "${path}"`;
  const error = new Error(`${syscall}${where} failed: ${code}`) as SystemError;
  error.errno = errno;
  error.code = code;
  error.syscall = syscall;
  if (path !== undefined) error.path = path;
  return error;
}

/**
 * libc's terminal and locking calls for one tty file descriptor at a time.
 * Every method is synchronous and returns at once, except
 * {@linkcode Termios.drain}; none of them reads or writes data.
 */
export class Termios {
  readonly #libc: Libc;
  readonly #close: () => void;

  private constructor(libc: Libc, close: () => void) {
    this.#libc = libc;
    this.#close = close;
  }

  /**
   * Loads libc.
   * @throws {Error} with `code` `"ERR_UNSUPPORTED_PLATFORM"` when not on Linux x86-64 or arm64, or when libc cannot be loaded.
   */
  static load(): Termios {
    if (process.platform !== "linux" || !SUPPORTED_ARCHS.has(process.arch)) {
      throw unsupported(`The Bun serial binding supports Linux on x64 and arm64 only: running on "${process.platform}/${process.arch}"`);
    }
    const failures: string[] = [];
    for (const name of LIBC_NAMES) {
      try {
        const lib = dlopen(name, SYMBOLS);
        return new Termios(lib.symbols, () => lib.close());
      } catch (error) {
        failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw unsupported(`Cannot load libc for termios: ${failures.join("; ")}`);
  }

  /** Releases libc; the instance cannot be used afterwards. */
  unload(): void {
    this.#close();
  }

  /**
   * Puts the line in raw mode (no echo, no line editing, no CR/LF mapping, no
   * signals) with the given speed, framing and flow control. Reads return as
   * soon as one byte is there (VMIN 1, VTIME 0).
   * @throws {RangeError} for an unsupported baud rate.
   * @throws {SystemError} when the descriptor is not a terminal (`ENOTTY`) or the driver refuses the settings.
   */
  configure(fd: number, settings: LineSettings): void {
    const speed = speedCode(settings.baudRate);
    const t = this.#get(fd);
    this.#libc.cfmakeraw(t.words);

    let cflag = t.words[C_CFLAG] ?? 0;
    cflag &= ~(CSIZE | CSTOPB | PARENB | PARODD | CMSPAR | CRTSCTS | HUPCL);
    cflag |= CS_BY_DATA_BITS[settings.dataBits] | CLOCAL | CREAD;
    if (settings.stopBits === 2) cflag |= CSTOPB;
    if (settings.rtscts) cflag |= CRTSCTS;
    if (settings.hupcl) cflag |= HUPCL;
    switch (settings.parity) {
      case "none":
        break;
      case "even":
        cflag |= PARENB;
        break;
      case "odd":
        cflag |= PARENB | PARODD;
        break;
      case "mark":
        cflag |= PARENB | PARODD | CMSPAR;
        break;
      case "space":
        cflag |= PARENB | CMSPAR;
        break;
    }
    // The tcflag_t words are unsigned; `>>> 0` keeps CRTSCTS (bit 31) from turning the value negative.
    t.words[C_CFLAG] = cflag >>> 0;

    // cfmakeraw clears IXON but leaves IXOFF and IXANY as they were.
    let iflag = (t.words[C_IFLAG] ?? 0) & ~(IXON | IXOFF | IXANY | INPCK);
    if (settings.xon) iflag |= IXON;
    if (settings.xoff) iflag |= IXOFF;
    if (settings.xany) iflag |= IXANY;
    if (settings.parity !== "none") iflag |= INPCK;
    t.words[C_IFLAG] = iflag >>> 0;

    t.cc[VMIN] = 1;
    t.cc[VTIME] = 0;
    this.#setSpeed(t.words, speed);
    this.#check(this.#libc.tcsetattr(fd, TCSANOW, t.words), "tcsetattr");
  }

  /**
   * Changes only the speed of the line.
   * @throws {RangeError} for an unsupported baud rate.
   */
  setBaudRate(fd: number, baudRate: number): void {
    const speed = speedCode(baudRate);
    const t = this.#get(fd);
    this.#setSpeed(t.words, speed);
    this.#check(this.#libc.tcsetattr(fd, TCSANOW, t.words), "tcsetattr");
  }

  /** The output speed the driver reports, in bits per second (0 when the code is not one of ours). */
  getBaudRate(fd: number): number {
    const code = this.#libc.cfgetospeed(this.#get(fd).words);
    for (const [rate, c] of SPEED_CODES) if (c === code) return rate;
    return 0;
  }

  /** Discards received-but-unread and written-but-unsent bytes in the kernel. */
  flush(fd: number): void {
    this.#check(this.#libc.tcflush(fd, TCIOFLUSH), "tcflush");
  }

  /** Bytes written but not yet sent by the driver (TIOCOUTQ). */
  outputQueueBytes(fd: number): number {
    const value = new Int32Array(1);
    this.#check(this.#libc.ioctl(fd, TIOCOUTQ, value), "ioctl(TIOCOUTQ)");
    return value[0] ?? 0;
  }

  /**
   * Waits until the driver has sent every written byte (tcdrain). This
   * blocks the calling thread, so call it only once
   * {@linkcode Termios.outputQueueBytes} is 0 and only the UART's own FIFO is left.
   */
  drain(fd: number): void {
    this.#check(this.#libc.tcdrain(fd), "tcdrain");
  }

  /**
   * Sets or clears DTR, RTS and break. Lines left `undefined` keep their state.
   * @throws {SystemError} `ENOTTY` or `EINVAL` when the device has no modem lines (a pty, some USB bridges).
   */
  setModemLines(fd: number, lines: ModemLines): void {
    const raise = (lines.dtr === true ? TIOCM_DTR : 0) | (lines.rts === true ? TIOCM_RTS : 0);
    const lower = (lines.dtr === false ? TIOCM_DTR : 0) | (lines.rts === false ? TIOCM_RTS : 0);
    if (raise !== 0) this.#check(this.#libc.ioctl(fd, TIOCMBIS, new Int32Array([raise])), "ioctl(TIOCMBIS)");
    if (lower !== 0) this.#check(this.#libc.ioctl(fd, TIOCMBIC, new Int32Array([lower])), "ioctl(TIOCMBIC)");
    if (lines.brk !== undefined) {
      const request = lines.brk ? TIOCSBRK : TIOCCBRK;
      this.#check(this.#libc.ioctl(fd, request, new Int32Array(1)), lines.brk ? "ioctl(TIOCSBRK)" : "ioctl(TIOCCBRK)");
    }
  }

  /**
   * Reads CTS, DSR and DCD.
   * @throws {SystemError} `ENOTTY` or `EINVAL` when the device has no modem lines.
   */
  getModemStatus(fd: number): ModemStatus {
    const bits = new Int32Array(1);
    this.#check(this.#libc.ioctl(fd, TIOCMGET, bits), "ioctl(TIOCMGET)");
    const value = bits[0] ?? 0;
    return { cts: (value & TIOCM_CTS) !== 0, dsr: (value & TIOCM_DSR) !== 0, dcd: (value & TIOCM_CAR) !== 0 };
  }

  /**
   * Takes an exclusive advisory lock (`flock`), as serialport does, so two
   * programs do not read the same reader.
   * @throws {SystemError} `EAGAIN` when another open file holds the lock.
   */
  lock(fd: number): void {
    this.#check(this.#libc.flock(fd, LOCK_EX | LOCK_NB), "flock");
  }

  /**
   * Releases the lock. Needed before close because Bun's reader holds a
   * duplicate of the descriptor that it closes later, on another thread, and
   * a duplicate keeps a `flock` alive.
   */
  unlock(fd: number): void {
    this.#check(this.#libc.flock(fd, LOCK_UN), "flock");
  }

  #get(fd: number): { words: Uint32Array; cc: Uint8Array } {
    const words = new Uint32Array(TERMIOS_SIZE_BYTES / Uint32Array.BYTES_PER_ELEMENT);
    this.#check(this.#libc.tcgetattr(fd, words), "tcgetattr");
    return { words, cc: new Uint8Array(words.buffer, C_CC_OFFSET_BYTES, 32) };
  }

  #setSpeed(words: Uint32Array, speed: number): void {
    this.#check(this.#libc.cfsetispeed(words, speed), "cfsetispeed");
    this.#check(this.#libc.cfsetospeed(words, speed), "cfsetospeed");
  }

  #check(result: number, syscall: string): void {
    // errno is only meaningful right after a failed call, and is read before any other libc call can change it.
    if (result === -1) throw systemError(this.#errno(), syscall);
  }

  #errno(): number {
    const location = this.#libc.__errno_location() as Pointer | null;
    return location === null ? 0 : read.i32(location, 0);
  }
}

function speedCode(baudRate: number): number {
  const code = SPEED_CODES.get(baudRate);
  if (code === undefined) {
    throw new RangeError(`Unsupported baud rate "${baudRate}": use one of ${SUPPORTED_BAUD_RATES.join(", ")}`);
  }
  return code;
}

function unsupported(message: string): Error {
  return Object.assign(new Error(message), { code: "ERR_UNSUPPORTED_PLATFORM" });
}
