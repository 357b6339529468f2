/**
 * The ID-card reader session (STYLE §2 `reader.ts`): a long-lived service
 * that opens the reader through an injected transport factory, polls for
 * cards, reads them (find → select → read, spec §3.1), reports what happens
 * as typed events, and reconnects with exponential back-off when the device
 * goes away.
 *
 * Commands go out one at a time through a {@linkcode CommandChannel}; every
 * reply is awaited under the timeout of `command-timeouts.ts` and every wait
 * is cancellable. Retries are bounded: find is retried twice and select
 * once (spec §3.1), and the whole find–select–read sequence is attempted
 * `readAttempts` times per placement. Only failures marked retryable in the
 * SW3 table (spec §4) or timeouts and damaged replies are retried.
 *
 * ## Card presence
 *
 * What the answers to find mean for the card (inserted, read, lifted, hidden
 * by a reader that reads once, the removal debounce, when to reopen a silent
 * device) is decided by the pure state machine in `card-presence.ts`; this
 * session is its I/O shell: it runs the commands, feeds the machine the
 * outcomes with the clock time, and carries out its decisions.
 *
 * ## Supervision
 *
 * A lost or silent device is reopened with exponential back-off. Any other
 * error that escapes a connection (a bug, a driver throwing something
 * unexpected) is a fault: the session reports `reader-error` with code
 * `reader-fault`, shows the status `error`, closes the device and restarts
 * with the same back-off, instead of ending silently.
 */
import { isKioskError, KioskError, sleep, type Clock, type DeviceState, type DeviceStatus, type Logger, type Service, type TimerId } from "@kiosk/contracts";
import type { ByteTransport } from "../transport/byte-transport.ts";
import { CardPresence, type PresenceDecision, type RereadBehaviour } from "./card-presence.ts";
import { CommandChannel, type CommandChannelCounters, type CommandResult, type ExecuteOptions } from "./command-channel.ts";
import { commandTimeouts, type CommandTimeouts } from "./command-timeouts.ts";
import { parseAppendedAddress } from "./protocol/appended-address.ts";
import type { CommandName } from "./protocol/constants.ts";
import { hexByte } from "./protocol/hex.ts";
import { parseIdentityReply, type IdentityRecord } from "./protocol/identity.ts";
import { SW3_CARD_FOUND, SW3_OK, type SamStatus } from "./protocol/status.ts";
import { READER_ERROR_CODES, TypedEvents, type EventOwner, type ReaderErrorCode, type ReaderEventMap, type ReaderState } from "./reader-events.ts";

/**
 * Makes a new, unopened transport to the reader; called for the first
 * connection and for every reconnection. It may throw (device missing).
 */
export type TransportFactory = () => ByteTransport | Promise<ByteTransport>;

/** The read commands the session can use (spec §3, §5). */
export type ReadCommand = "readBase" | "readBaseWithFingerprint";

/** Options of {@linkcode IdCardReader}; every optional field has a default in {@linkcode DEFAULT_READER_OPTIONS}. */
export interface IdCardReaderOptions {
  /** Makes the transport; called again for each reconnection. */
  readonly transportFactory: TransportFactory;
  readonly clock: Clock;
  readonly log: Logger;
  /** `DeviceStatus.kind`, such as `serial` or `hid`; defaults to the transport description's prefix. */
  readonly kind?: string;
  /** Time between two find polls, in ms. */
  readonly pollIntervalMs?: number;
  /** `readBase` (`30 01`) or `readBaseWithFingerprint` (`30 10`). */
  readonly readCommand?: ReadCommand;
  /** Also read the newest appended address (`30 03`) after each read (spec §3.1, §5.3). */
  readonly readAppendedAddress?: boolean;
  readonly rereadBehaviour?: RereadBehaviour;
  /** Extra find attempts after a timeout or damaged reply (spec §3.1: once or twice). */
  readonly findRetries?: number;
  /** Extra select attempts (spec §3.1: once). */
  readonly selectRetries?: number;
  /** Find–select–read sequences tried per card placement before giving up. */
  readonly readAttempts?: number;
  /** Consecutive "no card" finds that mean a card left the reader (debounces a card shifted on the pad). */
  readonly removalMisses?: number;
  /** Overrides of the reply timeouts, in ms. */
  readonly timeoutsMs?: Partial<CommandTimeouts>;
  /** Ask the SAM's status (`11 FF`) after opening, before polling (spec §3.1). */
  readonly checkSamOnConnect?: boolean;
  /** While the SAM reports a failure, ask its status again this often, in ms. */
  readonly samRecheckMs?: number;
  /** First wait before reconnecting, in ms; doubled after each failed attempt. */
  readonly reconnectInitialDelayMs?: number;
  /** Longest wait between reconnection attempts, in ms. */
  readonly reconnectMaxDelayMs?: number;
  /** Emit `device-lost` after the device has been unavailable this long, in ms. */
  readonly deviceLostAfterMs?: number;
  /** Consecutive polls without a valid answer after which the device is reopened. */
  readonly unresponsivePolls?: number;
  /** Deframer inter-byte timeout, in ms; see `DEFAULT_INTER_BYTE_TIMEOUT_MS`. */
  readonly interByteTimeoutMs?: number;
}

/** Defaults of {@linkcode IdCardReaderOptions}. */
export const DEFAULT_READER_OPTIONS = {
  // Spec §3.1: poll find no faster than every ~300 ms.
  pollIntervalMs: 300,
  readCommand: "readBase",
  readAppendedAddress: false,
  rereadBehaviour: "auto",
  // Spec §3.1: "retry find once or twice; retry select once".
  findRetries: 2,
  selectRetries: 1,
  readAttempts: 2,
  removalMisses: 2,
  checkSamOnConnect: true,
  samRecheckMs: 5000,
  reconnectInitialDelayMs: 250,
  reconnectMaxDelayMs: 5000,
  deviceLostAfterMs: 10_000,
  unresponsivePolls: 3,
} as const satisfies Omit<Required<IdCardReaderOptions>, "transportFactory" | "clock" | "log" | "kind" | "timeoutsMs" | "interByteTimeoutMs">;

type ResolvedOptions = Required<Omit<IdCardReaderOptions, "kind" | "timeoutsMs" | "interByteTimeoutMs">> &
  Pick<IdCardReaderOptions, "kind" | "interByteTimeoutMs">;

/** Running totals of a session, over all its connections. */
export interface IdCardReaderCounters {
  readonly connectAttempts: number;
  readonly cardsRead: number;
  readonly readFailures: number;
  readonly commands: number;
  readonly timeouts: number;
  readonly badReplies: number;
  readonly staleFrames: number;
  readonly mismatchedFrames: number;
  readonly garbageBytes: number;
  readonly stalls: number;
}

interface Connection {
  readonly transport: ByteTransport;
  readonly channel: CommandChannel;
  /** Aborted when the transport closes by itself. */
  readonly lost: AbortController;
  readonly offClose: () => void;
  closed: boolean;
}

type Failure = {
  readonly ok: false;
  readonly code: ReaderErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly status?: SamStatus;
};

type FindOutcome =
  | { readonly kind: "card"; readonly sentAtMs: number }
  | { readonly kind: "no-card" }
  | { readonly kind: "sam-failed"; readonly status: SamStatus }
  | ({ readonly kind: "failed" } & Failure);

/** The decisions that ask the poll to run something. */
type PresenceCommand = Extract<PresenceDecision, { type: "read-card" | "reopen" }>;

type ReadOutcome =
  | { readonly ok: true; readonly identity: IdentityRecord; readonly appendedAddress?: string }
  | (Failure & { readonly cardGone: boolean });

const ZERO_COUNTERS: IdCardReaderCounters = {
  connectAttempts: 0,
  cardsRead: 0,
  readFailures: 0,
  commands: 0,
  timeouts: 0,
  badReplies: 0,
  staleFrames: 0,
  mismatchedFrames: 0,
  garbageBytes: 0,
  stalls: 0,
};
// DeviceStatus.detail holds at most 200 characters (contracts device-status.ts).
const DETAIL_MAX_CHARS = 200;
const COMMAND_LABELS: Readonly<Record<CommandName, string>> = {
  resetSam: "reset SAM (10 FF)",
  samStatus: "SAM status (11 FF)",
  readSamId: "read SAM ID (12 FF)",
  findCard: "find card (20 01)",
  selectCard: "select card (20 02)",
  readBase: "read card (30 01)",
  readAppendedAddress: "read appended address (30 03)",
  readBaseWithFingerprint: "read card with fingerprints (30 10)",
  setMaxRfBytes: "set RF frame size (61 FF)",
};

/**
 * The reader session. Construct, subscribe, `start()`; `stop()` ends every
 * timer, pending command and the transport.
 *
 * @example
 * ```ts
 * const reader = new IdCardReader({ transportFactory: serialReaderTransport({ path: "/dev/ttyUSB0" }), clock: systemClock, log });
 * reader.on(this, "card-read", (e) => verify(e.identity));
 * reader.on(this, "card-reread-required", () => ui.show("remove-and-replace"));
 * await reader.start();
 * ```
 */
export class IdCardReader implements Service {
  readonly name = "idcard-reader";
  /** The typed events; {@linkcode IdCardReader.on} and {@linkcode IdCardReader.off} are shortcuts. */
  readonly events: TypedEvents<ReaderEventMap>;
  readonly #factory: TransportFactory;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #o: ResolvedOptions;
  readonly #timeouts: CommandTimeouts;
  #state: ReaderState = "stopped";
  #deviceState: DeviceState = "stopped";
  #deviceSinceMs: number;
  #run: { readonly controller: AbortController; readonly done: Promise<void> } | undefined;
  #connection: Connection | undefined;
  #description: string | undefined;
  #lastError: { readonly code: string; readonly message: string } | undefined;
  #unavailableSinceMs: number | undefined;
  #deviceLostTimer: TimerId | undefined;
  #deviceLostEmitted = false;
  #outageReported = false;
  #everReady = false;
  #samFailure: SamStatus | undefined;
  /** Set from a fault until the reader answers again; the status shows `error` meanwhile. */
  #fault: { readonly code: ReaderErrorCode; readonly message: string } | undefined;
  /** Faults since a connection last ended normally. */
  #faults = 0;
  readonly #presence: CardPresence;
  #counters: IdCardReaderCounters = ZERO_COUNTERS;

  /** @throws {RangeError} when a numeric option is negative, zero where it must be positive, or not finite, or `rereadBehaviour` is unknown. */
  constructor(options: IdCardReaderOptions) {
    this.#factory = options.transportFactory;
    this.#clock = options.clock;
    this.#log = options.log;
    this.#o = {
      ...DEFAULT_READER_OPTIONS,
      ...definedOnly(options),
    } as ResolvedOptions;
    for (const key of ["pollIntervalMs", "samRecheckMs", "reconnectInitialDelayMs", "reconnectMaxDelayMs", "deviceLostAfterMs"] as const) {
      checkNumber(key, this.#o[key], 1);
    }
    for (const key of ["findRetries", "selectRetries"] as const) checkNumber(key, this.#o[key], 0);
    checkNumber("readAttempts", this.#o.readAttempts, 1);
    this.#presence = new CardPresence({ rereadBehaviour: this.#o.rereadBehaviour, removalMisses: this.#o.removalMisses, unresponsivePolls: this.#o.unresponsivePolls });
    this.#timeouts = commandTimeouts(options.timeoutsMs);
    this.events = new TypedEvents<ReaderEventMap>(options.log);
    this.#deviceSinceMs = options.clock.now();
  }

  /** The session state; `awaiting-removal` is the "remove and re-place your card" state. */
  get state(): ReaderState {
    return this.#state;
  }

  /** Running totals over all connections. */
  get counters(): IdCardReaderCounters {
    const current = this.#connection?.channel.counters;
    return current ? addChannelCounters(this.#counters, current) : this.#counters;
  }

  /** Subscribes to an event on behalf of `owner`; returns a remover. See {@linkcode TypedEvents.on}. */
  on<K extends keyof ReaderEventMap>(owner: EventOwner, event: K, listener: (payload: ReaderEventMap[K]) => void): () => void {
    return this.events.on(owner, event, listener);
  }

  /** Removes every subscription of `owner`. */
  off(owner: EventOwner): void {
    this.events.off(owner);
  }

  /**
   * Asks for the card lying on the reader to be read again, for an applicant
   * who placed it before the kiosk wanted it: a rereads reader reads it on
   * its next poll (`card-inserted`, then `card-read`); a reader that hides a
   * read card asks for it to be lifted and placed again
   * (`card-reread-required`). Does nothing when no read card lies there.
   */
  readAgain(): void {
    this.#applyAll(this.#presence.step({ type: "read-requested", atMs: this.#clock.now() }));
  }

  /**
   * The status the kiosk reports for the reader (contracts `DeviceStatus`):
   * `starting` until the first connection, `ready` while polling or reading,
   * `unavailable` while reconnecting after a loss, `error` while the SAM
   * fails, `stopped`. `detail` is the transport description (a port or USB
   * id, never card data).
   */
  status(): DeviceStatus {
    const showError = this.#deviceState === "unavailable" || this.#deviceState === "error";
    const kind = this.#o.kind ?? this.#description?.split(":")[0] ?? "idcard-reader";
    return {
      kind,
      state: this.#deviceState,
      since: new Date(this.#deviceSinceMs).toISOString(),
      ...(this.#description === undefined ? {} : { detail: this.#description.slice(0, DETAIL_MAX_CHARS) }),
      ...(showError && this.#lastError ? { error: { ...this.#lastError } } : {}),
    };
  }

  /**
   * Starts connecting and polling in the background and returns at once;
   * `reader-ready` follows when the device answers. Calling it while running
   * does nothing.
   */
  async start(): Promise<void> {
    if (this.#run) return;
    const controller = new AbortController();
    this.#fault = undefined;
    this.#faults = 0;
    this.#presence.step({ type: "session-started" });
    this.#setState("connecting");
    // Not available yet: a device that never appears must still produce `device-lost`.
    this.#markUnavailable();
    const done = this.#main(controller.signal).catch((error: unknown) => {
      this.#log.error("Reader session failed", { error: error instanceof Error ? error.message : String(error) });
    });
    this.#run = { controller, done };
  }

  /** Ends polling, pending commands, every timer and the transport. Safe to call more than once. */
  async stop(): Promise<void> {
    const run = this.#run;
    if (!run) return;
    this.#run = undefined;
    run.controller.abort(new Error("Reader session stopped"));
    await run.done;
    this.#clearDeviceLostTimer();
    this.#unavailableSinceMs = undefined;
    this.#setState("stopped");
  }

  /**
   * Sends one command through the session's queue (after any command in
   * flight), e.g. `readSamId` for a technician's self-test.
   *
   * @throws {KioskError} `device-unavailable` when the reader is not connected or goes away.
   * @throws the signal's reason when `options.signal` aborts.
   */
  async execute(name: CommandName, options: ExecuteOptions = {}): Promise<CommandResult> {
    const connection = this.#connection;
    if (!connection || connection.closed) {
      throw new KioskError("device-unavailable", `Cannot send ${COMMAND_LABELS[name]}: the reader is not connected (${this.#state})`);
    }
    return connection.channel.execute(name, options);
  }

  // -------------------------------------------------------------------------
  // Connection lifecycle
  // -------------------------------------------------------------------------

  /**
   * The supervision loop: connect, serve, and after a loss wait and connect
   * again. The wait doubles after each failed attempt up to
   * `reconnectMaxDelayMs` and starts over once a connection ends normally (lost
   * or silent). Anything else that escapes a connection is a fault: it is
   * reported as `reader-fault` and the loop restarts the same way, so a bug
   * that throws on every connection retries at the back-off, never in a tight
   * loop, and never ends the session.
   */
  async #main(signal: AbortSignal): Promise<void> {
    let delayMs = this.#o.reconnectInitialDelayMs;
    try {
      while (!signal.aborted) {
        try {
          const connection = await this.#connect(signal);
          if (connection) {
            await this.#serve(connection, signal);
            delayMs = this.#o.reconnectInitialDelayMs;
            this.#faults = 0;
          }
        } catch (error) {
          if (signal.aborted) break;
          this.#reportFault(error, delayMs);
        } finally {
          if (this.#connection) await this.#closeConnection(this.#connection);
        }
        if (signal.aborted) break;
        this.#setState("connecting");
        this.#log.debug(() => `Reconnecting in ${delayMs} ms`);
        await sleep(this.#clock, delayMs, signal);
        delayMs = Math.min(delayMs * 2, this.#o.reconnectMaxDelayMs);
      }
    } catch (error) {
      // The only expected rejection is the stop() abort of a back-off wait.
      if (!signal.aborted) throw error;
    } finally {
      if (this.#connection) await this.#closeConnection(this.#connection);
    }
  }

  async #connect(signal: AbortSignal): Promise<Connection | undefined> {
    this.#counters = { ...this.#counters, connectAttempts: this.#counters.connectAttempts + 1 };
    let transport: ByteTransport;
    try {
      transport = await this.#factory();
    } catch (error) {
      this.#reportUnavailable("device-unavailable", errorMessage(error));
      return undefined;
    }
    this.#description = transport.description;
    const channel = new CommandChannel({
      transport,
      clock: this.#clock,
      timeouts: this.#timeouts,
      log: this.#log,
      ...(this.#o.interByteTimeoutMs === undefined ? {} : { interByteTimeoutMs: this.#o.interByteTimeoutMs }),
    });
    const lost = new AbortController();
    const offClose = transport.onClose((reason) => {
      if (!reason.unexpected) return;
      const error = isKioskError(reason.error)
        ? reason.error
        : new KioskError("device-unavailable", `Reader "${transport.description}" went away: the device was unplugged or hung up`, reason.error ? { cause: reason.error } : {});
      channel.detach(error);
      lost.abort(error);
    });
    channel.attach();
    try {
      await transport.open();
    } catch (error) {
      offClose();
      channel.detach();
      this.#reportUnavailable("device-unavailable", errorMessage(error));
      return undefined;
    }
    const connection: Connection = { transport, channel, lost, offClose, closed: false };
    this.#connection = connection;
    if (!signal.aborted) this.#log.debug(() => `Opened "${transport.description}"`);
    return connection;
  }

  async #closeConnection(connection: Connection): Promise<void> {
    if (connection.closed) return;
    connection.closed = true;
    if (this.#connection === connection) this.#connection = undefined;
    connection.offClose();
    connection.channel.detach();
    this.#counters = addChannelCounters(this.#counters, connection.channel.counters);
    try {
      await connection.transport.close();
    } catch (error) {
      this.#log.debug(() => `Closing "${connection.transport.description}" failed: ${errorMessage(error)}`);
    }
  }

  /** Runs one open connection until it is lost, stops answering, or the session stops. */
  async #serve(connection: Connection, signal: AbortSignal): Promise<void> {
    const active = AbortSignal.any([signal, connection.lost.signal]);
    try {
      if (this.#o.checkSamOnConnect) {
        const sam = await this.#checkSam(connection, active);
        if (sam.kind === "no-answer") {
          this.#reportUnavailable(sam.code, sam.message);
          return;
        }
        if (sam.kind === "failed") this.#enterSamFailure(sam.status);
      }
      if (!this.#samFailure) this.#ready(connection);
      for (;;) {
        if (this.#samFailure) {
          await sleep(this.#clock, this.#o.samRecheckMs, active);
          const sam = await this.#checkSam(connection, active);
          if (sam.kind === "ok") {
            this.#samFailure = undefined;
            this.#ready(connection);
          } else if (sam.kind === "no-answer") {
            this.#reportUnavailable(sam.code, sam.message);
            return;
          }
          continue;
        }
        if ((await this.#pollOnce(connection, active)) === "unresponsive") return;
        await sleep(this.#clock, this.#o.pollIntervalMs, active);
      }
    } catch (error) {
      if (signal.aborted) return;
      if (connection.lost.signal.aborted || isKioskError(error, "device-unavailable")) {
        const reason: unknown = connection.lost.signal.aborted ? connection.lost.signal.reason : error;
        this.#disconnectPresence();
        this.#samFailure = undefined;
        this.#reportUnavailable("device-unavailable", errorMessage(reason));
        return;
      }
      throw error;
    }
  }

  #ready(connection: Connection): void {
    this.#fault = undefined;
    this.#markAvailable();
    this.#everReady = true;
    this.#log.info(`Reader ready on "${connection.transport.description}"`);
    this.#emit("reader-ready", { description: connection.transport.description, atMs: this.#clock.now() });
    this.#applyAll(this.#presence.step({ type: "reader-ready", atMs: this.#clock.now() }));
  }

  async #checkSam(
    connection: Connection,
    signal: AbortSignal,
  ): Promise<{ readonly kind: "ok" } | { readonly kind: "failed"; readonly status: SamStatus } | ({ readonly kind: "no-answer" } & Failure)> {
    let last: ({ readonly kind: "no-answer" } & Failure) | undefined;
    // One retry: a status query is cheap and a single lost frame should not trigger a reconnect.
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await connection.channel.execute("samStatus", { signal });
      if (result.kind === "reply") {
        if (result.status.code === SW3_OK) return { kind: "ok" };
        if (!result.status.retryable) return { kind: "failed", status: result.status };
        continue;
      }
      last = { kind: "no-answer", ...this.#failureOf("samStatus", result, "no-response") };
    }
    return last ?? { kind: "no-answer", ok: false, code: "no-response", message: "The SAM status query got no usable answer", retryable: true };
  }

  #enterSamFailure(status: SamStatus): void {
    const first = this.#samFailure === undefined;
    this.#samFailure = status;
    // The device answers, so it is present: `device-lost` is for a missing device.
    this.#markAvailable();
    if (first) {
      this.#emitError("sam-failed", `Security module reports "${status.name}" (SW3 0x${hexByte(status.code)}): ${status.meaning}`, { status, retryable: false });
    }
    this.#setState("sam-error");
  }

  // Not a device error the session knows how to handle: a bug, or a driver
  // throwing something unexpected. The connection is dropped (by the caller)
  // and the session restarts after `restartInMs`.
  #reportFault(error: unknown, restartInMs: number): void {
    this.#faults++;
    this.#disconnectPresence();
    this.#samFailure = undefined;
    const where = this.#description === undefined ? "" : ` on "${this.#description}"`;
    const message =
      `Reader session${where} failed unexpectedly with "${errorMessage(error)}": restarting in ${restartInMs} ms ` +
      `(fault ${this.#faults} in a row); if it keeps failing, restart the kiosk service and send its logs to support`;
    this.#fault = { code: "reader-fault", message };
    this.#log.error("Reader session failed unexpectedly", { error: errorMessage(error), faults: this.#faults, restartInMs });
    // One event per run of faults; the status and the log carry every later one.
    if (this.#faults === 1) this.#emitError("reader-fault", message, { retryable: true });
    else this.#lastError = { code: "reader-fault", message };
    this.#refreshDeviceState();
  }

  // -------------------------------------------------------------------------
  // Availability and device-lost
  // -------------------------------------------------------------------------

  #reportUnavailable(code: ReaderErrorCode, message: string): void {
    this.#markUnavailable();
    if (this.#outageReported) {
      this.#lastError = { code, message };
      this.#log.debug(() => `Reader still unavailable: ${message}`);
      return;
    }
    this.#outageReported = true;
    this.#emitError(code, message, { retryable: true });
  }

  #markUnavailable(): void {
    if (this.#unavailableSinceMs !== undefined) return;
    const since = this.#clock.now();
    this.#unavailableSinceMs = since;
    this.#deviceLostTimer = this.#clock.setTimeout(() => {
      this.#deviceLostTimer = undefined;
      this.#deviceLostEmitted = true;
      const atMs = this.#clock.now();
      this.#log.warn(`Reader unavailable for ${atMs - since} ms`);
      this.#emit("device-lost", { unavailableForMs: atMs - since, ...(this.#lastError ? { lastError: { ...this.#lastError } } : {}), atMs });
      this.#refreshDeviceState();
    }, this.#o.deviceLostAfterMs);
  }

  #markAvailable(): void {
    this.#clearDeviceLostTimer();
    this.#unavailableSinceMs = undefined;
    this.#deviceLostEmitted = false;
    this.#outageReported = false;
  }

  #clearDeviceLostTimer(): void {
    if (this.#deviceLostTimer !== undefined) this.#clock.clearTimeout(this.#deviceLostTimer);
    this.#deviceLostTimer = undefined;
  }

  // -------------------------------------------------------------------------
  // Polling and card tracking
  // -------------------------------------------------------------------------

  async #pollOnce(connection: Connection, signal: AbortSignal): Promise<"ok" | "unresponsive"> {
    const found = await this.#find(connection, signal);
    if (found.kind === "sam-failed") {
      this.#enterSamFailure(found.status);
      return "ok";
    }
    const decisions = this.#presence.step({ type: "find", result: found.kind, atMs: this.#clock.now() });
    let command: PresenceCommand | undefined;
    for (const decision of decisions) {
      if (decision.type === "report-poll-failure" && found.kind === "failed") this.#emitError(found.code, found.message, found);
      else command = this.#apply(decision) ?? command;
    }
    if (command?.type === "reopen") {
      // Open but silent: reopen it. The first failed poll already told the user.
      if (found.kind === "failed") {
        this.#outageReported = true;
        this.#reportUnavailable(found.code, `Reader "${connection.transport.description}" stopped answering: ${command.failedPolls} polls without a valid reply`);
      }
      return "unresponsive";
    }
    if (command?.type === "read-card" && found.kind === "card") await this.#readAndReport(connection, signal, found.sentAtMs);
    return "ok";
  }

  // Runs the read the presence machine asked for, reports it, and feeds the outcome back.
  async #readAndReport(connection: Connection, signal: AbortSignal, foundAtMs: number): Promise<void> {
    const outcome = await this.#readCard(connection, signal);
    if (outcome.ok) {
      this.#counters = { ...this.#counters, cardsRead: this.#counters.cardsRead + 1 };
      const { identity } = outcome;
      this.#log.info(`Card read: ${identity.card.cardType}, photo ${identity.photo.bytes.length} bytes (${identity.photo.format})`);
      this.#emit("card-read", {
        identity,
        photo: identity.photo.bytes,
        ...(outcome.appendedAddress === undefined ? {} : { appendedAddress: outcome.appendedAddress }),
        foundAtMs,
        atMs: this.#clock.now(),
      });
      this.#applyAll(this.#presence.step({ type: "read-succeeded", atMs: this.#clock.now() }));
      return;
    }
    this.#counters = { ...this.#counters, readFailures: this.#counters.readFailures + 1 };
    if (outcome.code === "sam-failed" && outcome.status) {
      // The card stays as it was: once the SAM recovers, `reader-ready` asks for it to be placed again.
      this.#enterSamFailure(outcome.status);
      return;
    }
    this.#emitError(outcome.code, outcome.message, outcome);
    this.#applyAll(this.#presence.step({ type: "read-failed", cardGone: outcome.cardGone, atMs: this.#clock.now() }));
  }

  // The connection is gone: whatever lay on the reader can no longer be seen.
  #disconnectPresence(): void {
    this.#applyAll(this.#presence.step({ type: "disconnected", atMs: this.#clock.now() }));
  }

  // Carries out decisions that ask for no command (reader-ready, read outcomes, a loss).
  #applyAll(decisions: readonly PresenceDecision[]): void {
    for (const decision of decisions) this.#apply(decision);
  }

  // Carries out one decision; a command (read, reopen) is returned for the poll to run.
  #apply(decision: PresenceDecision): PresenceCommand | undefined {
    switch (decision.type) {
      case "enter":
        this.#setState(decision.state);
        return undefined;
      case "card-inserted":
        this.#emit("card-inserted", { atMs: decision.atMs });
        return undefined;
      case "card-removed":
        this.#log.info(`Card removed (${decision.reason})`);
        this.#emit("card-removed", { reason: decision.reason, atMs: decision.atMs });
        return undefined;
      case "card-reread-required":
        this.#emit("card-reread-required", { reason: decision.reason, atMs: decision.atMs });
        return undefined;
      case "learned-rereads":
        this.#log.info("Reader keeps reporting a card after reading it: treating it as a reader that reads twice");
        return undefined;
      case "report-poll-failure":
        // Only a poll has a failure to report; handled there.
        return undefined;
      case "read-card":
      case "reopen":
        return decision;
    }
  }

  // -------------------------------------------------------------------------
  // Commands with retries
  // -------------------------------------------------------------------------

  async #find(connection: Connection, signal: AbortSignal): Promise<FindOutcome> {
    let last: FindOutcome | undefined;
    for (let attempt = 0; attempt <= this.#o.findRetries; attempt++) {
      const sentAtMs = this.#clock.now();
      const result = await connection.channel.execute("findCard", { signal });
      if (result.kind !== "reply") {
        last = { kind: "failed", ...this.#failureOf("findCard", result, "no-response") };
        continue;
      }
      const { status } = result;
      if (status.code === SW3_CARD_FOUND) return { kind: "card", sentAtMs };
      // 80 is the normal idle answer, not retried here: the poll repeats it (spec §3.1).
      if (status.category === "no-card") return { kind: "no-card" };
      if (status.category === "sam-error" && !status.retryable) return { kind: "sam-failed", status };
      last = { kind: "failed", ok: false, code: "bad-reply", message: statusMessage("findCard", status), retryable: status.retryable, status };
      if (!status.retryable) return last;
    }
    return last ?? { kind: "failed", ok: false, code: "no-response", message: `No answer to ${COMMAND_LABELS.findCard}`, retryable: true };
  }

  async #readCard(connection: Connection, signal: AbortSignal): Promise<ReadOutcome> {
    let failure: Failure | undefined;
    for (let attempt = 1; attempt <= this.#o.readAttempts; attempt++) {
      if (attempt > 1) {
        // Spec §3.1: after a failed step, start over from find.
        const found = await this.#find(connection, signal);
        if (found.kind === "no-card") return { ...(failure ?? cardFailure("The card left the reader")), cardGone: true };
        if (found.kind === "sam-failed") return { ...samFailure(found.status), cardGone: false };
        if (found.kind === "failed") return { ...(failure ?? found), cardGone: false };
      }
      const selected = await this.#select(connection, signal);
      if (!selected.ok) {
        failure = selected;
        if (!selected.retryable) return { ...selected, cardGone: false };
        continue;
      }
      const result = await connection.channel.execute(this.#o.readCommand, { signal });
      if (result.kind !== "reply") {
        failure = this.#failureOf(this.#o.readCommand, result, "card-read-failed");
        continue;
      }
      if (result.status.code !== SW3_OK) {
        if (result.status.category === "sam-error" && !result.status.retryable) return { ...samFailure(result.status), cardGone: false };
        failure = { ok: false, code: "card-read-failed", message: statusMessage(this.#o.readCommand, result.status), retryable: result.status.retryable, status: result.status };
        if (!result.status.retryable) return { ...failure, cardGone: false };
        continue;
      }
      const parsed = parseIdentityReply(result.frame);
      if (!parsed.ok) {
        // Reading again gives the same bytes: not retried.
        return { ok: false, code: "card-unreadable", message: `The card's content cannot be parsed: ${parsed.message}`, retryable: false, cardGone: false };
      }
      const appendedAddress = this.#o.readAppendedAddress ? await this.#readAppendedAddress(connection, signal) : undefined;
      return { ok: true, identity: parsed.identity, ...(appendedAddress === undefined ? {} : { appendedAddress }) };
    }
    return { ...(failure ?? cardFailure("The card could not be read")), cardGone: false };
  }

  async #select(connection: Connection, signal: AbortSignal): Promise<{ readonly ok: true } | Failure> {
    let failure: Failure | undefined;
    for (let attempt = 0; attempt <= this.#o.selectRetries; attempt++) {
      const result = await connection.channel.execute("selectCard", { signal });
      if (result.kind !== "reply") {
        failure = this.#failureOf("selectCard", result, "card-read-failed");
        continue;
      }
      if (result.status.code === SW3_OK) return { ok: true };
      if (result.status.category === "sam-error" && !result.status.retryable) return samFailure(result.status);
      failure = { ok: false, code: "card-read-failed", message: statusMessage("selectCard", result.status), retryable: result.status.retryable, status: result.status };
      if (!result.status.retryable) return failure;
    }
    return failure ?? cardFailure("The card could not be selected");
  }

  // 30 03 right after the read, without re-authentication (spec §3.1). A
  // failure here does not fail the read: the address is optional.
  async #readAppendedAddress(connection: Connection, signal: AbortSignal): Promise<string | undefined> {
    const result = await connection.channel.execute("readAppendedAddress", { signal });
    if (result.kind !== "reply") {
      this.#log.debug(() => `No usable reply to ${COMMAND_LABELS.readAppendedAddress}: ${result.kind}`);
      return undefined;
    }
    const parsed = parseAppendedAddress(result.response);
    if (!parsed.ok) {
      this.#log.debug(() => `Appended address unavailable: ${parsed.reason}`);
      return undefined;
    }
    return parsed.present ? parsed.address : undefined;
  }

  #failureOf(name: CommandName, result: Exclude<CommandResult, { kind: "reply" }>, timeoutCode: ReaderErrorCode): Failure {
    if (result.kind === "timeout") {
      return { ok: false, code: timeoutCode, message: `No reply to ${COMMAND_LABELS[name]} within ${result.timeoutMs} ms`, retryable: true };
    }
    const code: ReaderErrorCode = timeoutCode === "card-read-failed" ? "card-read-failed" : "bad-reply";
    return { ok: false, code, message: `The reply to ${COMMAND_LABELS[name]} was damaged: ${result.reason}`, retryable: true };
  }

  // -------------------------------------------------------------------------
  // Events and state
  // -------------------------------------------------------------------------

  #emitError(code: ReaderErrorCode, message: string, extra: { readonly status?: SamStatus | undefined; readonly retryable?: boolean } = {}): void {
    this.#lastError = { code, message };
    this.#log.warn(`Reader error ${code}: ${message}`);
    this.#emit("reader-error", {
      code,
      message,
      retryable: extra.retryable ?? READER_ERROR_CODES[code].retryable,
      ...(extra.status === undefined ? {} : { status: extra.status }),
      atMs: this.#clock.now(),
    });
  }

  #emit<K extends keyof ReaderEventMap>(event: K, payload: ReaderEventMap[K]): void {
    this.events.emit(event, payload);
  }

  #setState(next: ReaderState): void {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#refreshDeviceState();
    this.#emit("state-changed", { state: next, previous, atMs: this.#clock.now() });
  }

  #refreshDeviceState(): void {
    const next = this.#deviceStateOf(this.#state);
    if (next === this.#deviceState) return;
    this.#deviceState = next;
    this.#deviceSinceMs = this.#clock.now();
  }

  #deviceStateOf(state: ReaderState): DeviceState {
    switch (state) {
      case "stopped":
        return "stopped";
      case "connecting":
        if (this.#fault) return "error";
        return this.#everReady || this.#deviceLostEmitted ? "unavailable" : "starting";
      case "sam-error":
        return "error";
      default:
        return "ready";
    }
  }
}

function cardFailure(message: string): Failure {
  return { ok: false, code: "card-read-failed", message, retryable: true };
}

function samFailure(status: SamStatus): Failure {
  return { ok: false, code: "sam-failed", message: `Security module reports "${status.name}" (SW3 0x${hexByte(status.code)}): ${status.meaning}`, retryable: false, status };
}

function statusMessage(name: CommandName, status: SamStatus): string {
  return `${COMMAND_LABELS[name]} failed with "${status.name}" (SW3 0x${hexByte(status.code)}): ${status.meaning}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkNumber(name: string, value: number, min: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new RangeError(`Invalid ${name} "${String(value)}": expected a finite number of at least ${min}`);
  }
}

// Spreading `{ x: undefined }` over the defaults would erase them.
function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function addChannelCounters(base: IdCardReaderCounters, channel: CommandChannelCounters): IdCardReaderCounters {
  return {
    ...base,
    commands: base.commands + channel.commands,
    timeouts: base.timeouts + channel.timeouts,
    badReplies: base.badReplies + channel.badReplies,
    staleFrames: base.staleFrames + channel.staleFrames,
    mismatchedFrames: base.mismatchedFrames + channel.mismatchedFrames,
    garbageBytes: base.garbageBytes + channel.deframer.garbageBytes,
    stalls: base.stalls + channel.deframer.stalls,
  };
}
