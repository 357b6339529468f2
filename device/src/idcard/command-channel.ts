/**
 * The link layer of the reader session (STYLE §1.4, §2): it owns the
 * deframer of one open transport, sends one command at a time, and pairs
 * each reply with the command waiting for it, under the command's timeout.
 *
 * GA 467 replies do not echo the command (spec §2: `SW1 SW2 SW3 DATA`), so a
 * reply is paired by order — only one command is ever outstanding — and by
 * shape: a frame whose status and data length cannot answer the waiting
 * command (a late reply to a command that timed out, a pty echo of our own
 * request) is dropped and counted, not taken as the answer.
 */
import { KioskError, type Clock, type Logger } from "@kiosk/contracts";
import type { ByteTransport } from "../transport/byte-transport.ts";
import type { CommandTimeouts } from "./command-timeouts.ts";
import { splitBaseMessage } from "./protocol/base-message.ts";
import {
  APPENDED_ADDRESS_BYTES,
  COMMANDS,
  FIND_CARD_DATA_BYTES,
  SAM_ID_BYTES,
  SELECT_CARD_DATA_BYTES,
  type CommandName,
} from "./protocol/constants.ts";
import { Deframer, type DeframerCounters } from "./protocol/deframer.ts";
import { encodeCommand, readResponse, type Frame, type ResponseView } from "./protocol/frame.ts";
import { describeStatus, SW3_CARD_FOUND, SW3_OK, type SamStatus } from "./protocol/status.ts";

/** Outcome of one command. Timeouts and damaged replies are values; only a lost device or an abort throws. */
export type CommandResult =
  | {
      readonly kind: "reply";
      readonly response: ResponseView;
      /** SW3 described (spec §4). */
      readonly status: SamStatus;
      /** The whole reply frame (its memory is owned by the result). */
      readonly frame: Frame;
    }
  | {
      readonly kind: "timeout";
      readonly timeoutMs: number;
      /** Bytes of a partial reply that were held and dropped when the timeout fired. */
      readonly partialBytes: number;
    }
  | {
      readonly kind: "bad-reply";
      /** What the deframer found wrong with the reply (spec §2). */
      readonly reason: BadReplyReason;
    };

/** Deframer findings that mean "a reply arrived, damaged". */
export type BadReplyReason = "bad-checksum" | "oversize" | "bad-length";

/** Options of {@linkcode CommandChannel.execute}. */
export interface ExecuteOptions {
  /** DATA bytes after CMD PARA, e.g. the byte of `61 FF nn` (spec §3). */
  readonly data?: Uint8Array;
  /**
   * Cancels the wait for the queue or for the reply; the promise rejects with the signal's reason.
   * A command aborted before it is written is never written.
   */
  readonly signal?: AbortSignal;
}

/** Options of {@linkcode CommandChannel}. */
export interface CommandChannelOptions {
  readonly transport: ByteTransport;
  readonly clock: Clock;
  readonly timeouts: CommandTimeouts;
  readonly log: Logger;
  /** Passed to the deframer; see `DEFAULT_INTER_BYTE_TIMEOUT_MS`. */
  readonly interByteTimeoutMs?: number;
}

/** Running totals of one channel. */
export interface CommandChannelCounters {
  /** Commands written. */
  readonly commands: number;
  /** Commands that got no complete reply in time. */
  readonly timeouts: number;
  /** Commands answered by a damaged frame. */
  readonly badReplies: number;
  /** Valid frames that arrived while no command was waiting. */
  readonly staleFrames: number;
  /** Valid frames that could not answer the waiting command, and were dropped. */
  readonly mismatchedFrames: number;
  readonly deframer: DeframerCounters;
}

interface Pending {
  readonly name: CommandName;
  readonly settle: (result: CommandResult) => void;
  readonly fail: (error: unknown) => void;
}

interface Waiter {
  readonly grant: () => void;
  readonly fail: (error: unknown) => void;
}

/**
 * Data bytes of a successful reply to each command (spec §3), and the SW3
 * meaning success. Reads are checked by their inner lengths: their size
 * depends on the card (spec §5).
 */
const REPLY_SHAPES = {
  resetSam: { success: SW3_OK, dataBytes: 0 },
  samStatus: { success: SW3_OK, dataBytes: 0 },
  readSamId: { success: SW3_OK, dataBytes: SAM_ID_BYTES },
  findCard: { success: SW3_CARD_FOUND, dataBytes: FIND_CARD_DATA_BYTES },
  selectCard: { success: SW3_OK, dataBytes: SELECT_CARD_DATA_BYTES },
  readBase: { success: SW3_OK, dataBytes: "base-message" },
  readAppendedAddress: { success: SW3_OK, dataBytes: APPENDED_ADDRESS_BYTES },
  readBaseWithFingerprint: { success: SW3_OK, dataBytes: "base-message" },
  setMaxRfBytes: { success: SW3_OK, dataBytes: 0 },
} as const satisfies Record<CommandName, { success: number; dataBytes: number | "base-message" }>;

/**
 * True when `response` can be the reply to `name`: a success status with the
 * data that command returns, or any other status without data (short error
 * replies are always 11 bytes, spec §2).
 */
export function replyFitsCommand(name: CommandName, response: ResponseView): boolean {
  const shape = REPLY_SHAPES[name];
  if (response.sw3 !== shape.success) return response.data.length === 0;
  // A read reply's inner lengths add up to its data (spec §5); a short late reply cannot pass for one.
  if (shape.dataBytes === "base-message") return splitBaseMessage(response).ok;
  return response.data.length === shape.dataBytes;
}

/**
 * Serializes commands over one open transport and pairs their replies.
 * Create one per connection; {@linkcode CommandChannel.attach} subscribes to
 * the transport, {@linkcode CommandChannel.detach} ends everything waiting.
 *
 * @example
 * ```ts
 * const channel = new CommandChannel({ transport, clock, timeouts: commandTimeouts(), log });
 * channel.attach();
 * const result = await channel.execute("findCard", { signal });
 * if (result.kind === "reply" && result.status.category === "card-found") …
 * ```
 */
export class CommandChannel {
  readonly #transport: ByteTransport;
  readonly #clock: Clock;
  readonly #timeouts: CommandTimeouts;
  readonly #log: Logger;
  readonly #deframer: Deframer;
  readonly #waiters: Waiter[] = [];
  #locked = false;
  #pending: Pending | undefined;
  #detached: KioskError | undefined;
  #unsubscribe: (() => void) | undefined;
  #commands = 0;
  #timeoutCount = 0;
  #badReplies = 0;
  #staleFrames = 0;
  #mismatchedFrames = 0;

  constructor(options: CommandChannelOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#timeouts = options.timeouts;
    this.#log = options.log;
    this.#deframer = new Deframer(options.interByteTimeoutMs === undefined ? {} : { interByteTimeoutMs: options.interByteTimeoutMs });
  }

  /** Snapshot of the running totals. */
  get counters(): CommandChannelCounters {
    return {
      commands: this.#commands,
      timeouts: this.#timeoutCount,
      badReplies: this.#badReplies,
      staleFrames: this.#staleFrames,
      mismatchedFrames: this.#mismatchedFrames,
      deframer: this.#deframer.counters,
    };
  }

  /** Starts receiving from the transport. Calling it twice has no further effect. */
  attach(): void {
    this.#unsubscribe ??= this.#transport.onData((chunk) => this.#receive(chunk));
  }

  /**
   * Stops receiving. The command in flight and every queued one fail with
   * `error` (a `device-unavailable` KioskError by default), and so does any
   * later {@linkcode CommandChannel.execute}.
   */
  detach(error?: KioskError): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const reason = error ?? new KioskError("device-unavailable", `Reader "${this.#transport.description}" is closed: reconnecting`);
    this.#detached ??= reason;
    this.#pending?.fail(reason);
    this.#pending = undefined;
    for (const waiter of this.#waiters.splice(0)) waiter.fail(reason);
  }

  /**
   * Sends one command once the channel is free and waits for its reply,
   * at most the command's timeout from the table.
   *
   * @returns the reply, `timeout` (partial input is flushed, so the next
   *   command starts clean) or `bad-reply` (a damaged frame arrived).
   * @throws {KioskError} `device-unavailable` when the channel is detached or the write fails.
   * @throws the signal's reason when `options.signal` aborts.
   */
  async execute(name: CommandName, options: ExecuteOptions = {}): Promise<CommandResult> {
    const { signal } = options;
    signal?.throwIfAborted();
    if (this.#detached) throw this.#detached;
    await this.#acquire(signal);
    try {
      // The abort may land after the line was handed over and before this turn: its listener is gone, so check here, before writing.
      signal?.throwIfAborted();
      return await this.#exchange(name, options);
    } finally {
      this.#release();
    }
  }

  #acquire(signal: AbortSignal | undefined): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        fail: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  // Hands the lock straight to the next waiter, so no command can slip in between.
  #release(): void {
    const next = this.#waiters.shift();
    if (next) next.grant();
    else this.#locked = false;
  }

  #exchange(name: CommandName, options: ExecuteOptions): Promise<CommandResult> {
    if (this.#detached) return Promise.reject(this.#detached);
    const { signal } = options;
    const request = encodeCommand(COMMANDS[name], options.data);
    const timeoutMs = this.#timeouts[name];
    return new Promise<CommandResult>((resolve, reject) => {
      const finish = (): void => {
        this.#clock.clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        if (this.#pending === pending) this.#pending = undefined;
      };
      const pending: Pending = {
        name,
        settle: (result) => {
          finish();
          resolve(result);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const onAbort = (): void => {
        // The reply may still arrive: drop what is held so it cannot pair with the next command.
        this.#flushInput();
        pending.fail(signal?.reason);
      };
      const timer = this.#clock.setTimeout(() => {
        const partialBytes = this.#deframer.bufferedBytes;
        // Spec §3.1: no complete frame within the timeout → flush the input and start over.
        this.#flushInput();
        this.#timeoutCount++;
        this.#log.debug(() => `No reply to ${name} within ${timeoutMs} ms (${partialBytes} partial bytes dropped)`);
        pending.settle({ kind: "timeout", timeoutMs, partialBytes });
      }, timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending = pending;
      this.#commands++;
      this.#log.debug(() => `→ ${name} (${request.length} bytes)`);
      this.#transport.write(request).catch((error: unknown) => {
        if (this.#pending !== pending) return;
        pending.fail(
          error instanceof KioskError
            ? error
            : new KioskError("device-unavailable", `Cannot write to reader "${this.#transport.description}": the device went away`, { cause: error }),
        );
      });
    });
  }

  #flushInput(): void {
    this.#deframer.flush();
  }

  #receive(chunk: Uint8Array): void {
    const events = this.#deframer.push(chunk, this.#clock.now());
    let damage: BadReplyReason | undefined;
    for (const event of events) {
      if (event.type === "frame") {
        this.#onFrame(event.frame);
        continue;
      }
      this.#log.debug(() => `Deframer dropped bytes: ${event.reason}`);
      if (event.reason === "bad-checksum" || event.reason === "oversize" || event.reason === "bad-length") damage ??= event.reason;
    }
    // A damaged frame answers the waiting command only when no good reply
    // came in the same chunk: waiting out the timeout would not bring it back.
    const pending = this.#pending;
    if (pending && damage) {
      this.#badReplies++;
      pending.settle({ kind: "bad-reply", reason: damage });
    }
  }

  #onFrame(frame: Frame): void {
    const pending = this.#pending;
    if (!pending) {
      this.#staleFrames++;
      this.#log.debug(() => `Dropped a ${frame.bytes.length}-byte frame: no command is waiting`);
      return;
    }
    const read = readResponse(frame);
    if (!read.ok || !replyFitsCommand(pending.name, read.response)) {
      this.#mismatchedFrames++;
      this.#log.debug(() => `Dropped a ${frame.bytes.length}-byte frame that cannot answer ${pending.name}`);
      return;
    }
    this.#log.debug(() => `← ${pending.name}: SW3 ${read.response.sw3.toString(16)} (${frame.bytes.length} bytes)`);
    pending.settle({ kind: "reply", response: read.response, status: describeStatus(read.response.sw3), frame });
  }
}
