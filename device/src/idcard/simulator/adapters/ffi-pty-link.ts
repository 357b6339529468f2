/**
 * The same pty link as {@linkcode startPtyLink}, made without socat: this
 * process opens two pseudo-terminals through `/dev/ptmx` and libc (`bun:ffi`)
 * and copies bytes between their masters, as socat does. Each slave is a
 * real tty (termios, non-blocking reads, hangup), linked at `pathA` and
 * `pathB`, so the kiosk and the simulator cannot tell the difference.
 *
 * The link also keeps each slave open itself: Linux fails reads on a master
 * with `EIO` once the last descriptor of its slave is closed, which would end
 * the copy when a kiosk closes its port to reconnect. Closing the masters
 * hangs both slaves up, as unplugging a cable does.
 *
 * Linux only.
 */
import { sleep, systemClock, type Clock } from "@kiosk/contracts";
import { dlopen, FFIType } from "bun:ffi";
import { closeSync, constants, openSync, symlinkSync, writeSync } from "node:fs";
import { rm } from "node:fs/promises";
import { Termios } from "../../../transport/termios.ts";
import type { PtyLink } from "./pty-link.ts";

const PTS_NAME_BYTES = 64;
// A full master buffer (the other side reads slowly) is retried after this many milliseconds.
const WRITE_RETRY_MS = 2;

const LIBC_SYMBOLS = {
  unlockpt: { args: [FFIType.i32], returns: FFIType.i32 },
  ptsname_r: { args: [FFIType.i32, FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
} as const;

type PtyLibc = ReturnType<typeof dlopen<typeof LIBC_SYMBOLS>>["symbols"];

interface Pty {
  readonly master: number;
  /** The link process's own descriptor of the slave, held so the master never sees `EIO`. */
  readonly slave: number;
  readonly slavePath: string;
}

// What socat's `pty,raw,echo=0` sets up before anyone opens the slave: a
// slave left cooked would echo the kiosk's first bytes back to it.
const RAW_LINE = { baudRate: 115200, dataBits: 8, stopBits: 1, parity: "none", rtscts: false, xon: false, xoff: false, xany: false, hupcl: false } as const;

function openPty(lib: PtyLibc, termios: Termios): Pty {
  const master = openSync("/dev/ptmx", constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  try {
    if (lib.unlockpt(master) !== 0) throw new Error("Cannot unlock a new pty (unlockpt failed)");
    const name = new Uint8Array(PTS_NAME_BYTES);
    if (lib.ptsname_r(master, name, name.length) !== 0) throw new Error("Cannot name a new pty (ptsname_r failed)");
    const slavePath = new TextDecoder().decode(name.subarray(0, name.indexOf(0)));
    const slave = openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    termios.configure(slave, RAW_LINE);
    return { master, slave, slavePath };
  } catch (error) {
    closeSync(master);
    throw error;
  }
}

// Bun reads the master through epoll: a read waits until it is readable, never blocking the event loop.
function openMasterReader(fd: number) {
  return Bun.file(fd).stream().getReader();
}

/** Copies every chunk `reader` yields to the descriptor `to` until the reader ends (cancelled or failed). */
async function copy(reader: ReturnType<typeof openMasterReader>, to: number, isOpen: () => boolean, clock: Clock): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || !isOpen()) return;
      let offset = 0;
      while (offset < value.length && isOpen()) {
        try {
          offset += writeSync(to, value, offset, value.length - offset);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") return;
          await sleep(clock, WRITE_RETRY_MS);
        }
      }
    }
  } catch {
    // The read failed: this direction is over, and the caller ends the link.
  }
}

/** Options of {@linkcode startFfiPtyLink}. */
export interface FfiPtyLinkOptions {
  /** Where to link the first pty, which a kiosk opens like `/dev/ttyUSB0`. */
  readonly pathA: string;
  /** Where to link the second pty, connected to `pathA`. */
  readonly pathB: string;
  /** Times the retry of a write to a full pty; defaults to the system clock. */
  readonly clock?: Clock;
}

/**
 * Opens two linked ptys and links them at `pathA` and `pathB` (replacing
 * links there). Resolves at once: the copy runs until `stop()` or `kill()`,
 * which do the same here: hang both slaves up, as a pulled cable does, and
 * remove the links.
 *
 * @throws {Error} when `/dev/ptmx` cannot be opened or a link cannot be made.
 *
 * @example
 * ```ts
 * await using link = await startFfiPtyLink({ pathA: "/tmp/kiosk-reader", pathB: "/tmp/sim/reader" });
 * ```
 */
export async function startFfiPtyLink(options: FfiPtyLinkOptions): Promise<PtyLink> {
  const { pathA, pathB } = options;
  const clock = options.clock ?? systemClock;
  const libc = dlopen("libc.so.6", LIBC_SYMBOLS);
  const termios = Termios.load();
  const ptys: Pty[] = [];
  const closeAll = (): void => {
    for (const pty of ptys.splice(0)) {
      closeSync(pty.slave);
      closeSync(pty.master);
    }
    termios.unload();
    libc.close();
  };
  try {
    ptys.push(openPty(libc.symbols, termios), openPty(libc.symbols, termios));
    for (const [path, pty] of [[pathA, ptys[0]!], [pathB, ptys[1]!]] as const) {
      await rm(path, { force: true });
      symlinkSync(pty.slavePath, path);
    }
  } catch (error) {
    closeAll();
    await Promise.all([rm(pathA, { force: true }), rm(pathB, { force: true })]);
    throw error;
  }
  const [a, b] = ptys as [Pty, Pty];
  let open = true;
  const isOpen = () => open;
  // Bun reads a duplicate of each master through epoll; cancelling the reader
  // closes that duplicate, without which the slaves would never hang up.
  const readers = [openMasterReader(a.master), openMasterReader(b.master)] as const;
  const copies = [copy(readers[0], b.master, isOpen, clock), copy(readers[1], a.master, isOpen, clock)];
  const copying = Promise.all(copies);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      open = false;
      await Promise.all(readers.map((reader) => reader.cancel()));
      await copying;
      closeAll();
      await Promise.all([rm(pathA, { force: true }), rm(pathB, { force: true })]);
    })();
    return stopped;
  };
  // A direction that ends while the link is open (a read or write failed)
  // ends the link: both ports hang up, as they do when socat exits.
  void Promise.race(copies).then(() => (open ? stop() : undefined));
  return { pathA, pathB, kill: stop, stop, [Symbol.asyncDispose]: stop };
}
