/**
 * Serves a {@linkcode ReaderResponder} over a `ByteTransport` (one end of a
 * pty pair, or of a memory link), the way a real reader module behaves on a
 * UART:
 * - requests are handled one at a time, in arrival order;
 * - with pacing on, each reply starts after the request's own wire time plus
 *   the module's processing time (e.g. ~200 ms of chip reading for `30 01`),
 *   and its bytes are released at the line speed, 10 bits per byte (8N1,
 *   spec §1.1), in chunks of about {@linkcode PACED_CHUNK_MS};
 * - with pacing off, replies go out at once;
 * - a fault script can damage, delay, split or drop replies and move the
 *   card or break the SAM over time (see `fault-script.ts`).
 *
 * All timing goes through the injected clock, so tests drive it with a fake one.
 */
import { sleep, silentLogger, type Clock, type Logger, type Service, type TimerId } from "@kiosk/contracts";
import type { ByteTransport } from "../../transport/byte-transport.ts";
import { Deframer } from "../protocol/deframer.ts";
import { BYTE_MAX, CHECKSUM_BYTES } from "../protocol/constants.ts";
import { encodeResponse, readRequest, type Frame } from "../protocol/frame.ts";
import { FaultPlan, NO_FAULTS, type FaultAction, type FaultScript, type ReplyFault } from "./fault-script.ts";
import { simulatedCommandOf, type ReaderResponder, type SimulatedCard, type SimulatedCommand } from "./reader-responder.ts";

/** Bits on the wire per byte with 8N1 framing: start + 8 data + stop (spec §1.1). */
export const BITS_PER_BYTE_ON_WIRE = 10;
/** Default line speed of the simulated reader, bit/s (spec §1.1 factory default). */
export const DEFAULT_SIMULATOR_BAUD_RATE = 115200;
/** With pacing, reply bytes are released in chunks worth about this much wire time. */
export const PACED_CHUNK_MS = 4;

/**
 * The module's own processing time per command, in ms, before its reply
 * starts (pacing only). Invented but plausible: the spec gives no module
 * timings, only host timeouts (spec §3.1); reading the chip (`30 01`) is the
 * slow part.
 */
export const DEFAULT_MODULE_MS = {
  resetSam: 50,
  samStatus: 5,
  readSamId: 5,
  findCard: 15,
  selectCard: 15,
  readBase: 200,
  readAppendedAddress: 40,
  readBaseWithFingerprint: 300,
  setMaxRfBytes: 5,
  setBaud: 5,
} as const satisfies Record<SimulatedCommand, number>;

/** Options of {@linkcode ReaderSimulator}. */
export interface ReaderSimulatorOptions {
  /** The device end: a `SerialTransport` on the far end of a pty pair, or a memory link's `device`. */
  readonly transport: ByteTransport;
  readonly clock: Clock;
  readonly responder: ReaderResponder;
  readonly log?: Logger;
  /** Line speed for pacing, bit/s; default {@linkcode DEFAULT_SIMULATOR_BAUD_RATE}. */
  readonly baudRate?: number;
  /** Release replies at the line speed after the module time; default true. */
  readonly pacing?: boolean;
  /** Overrides of {@linkcode DEFAULT_MODULE_MS}. */
  readonly moduleMs?: Partial<Record<SimulatedCommand, number>>;
  readonly faults?: FaultScript;
}

/** Running totals of a simulator. */
export interface ReaderSimulatorCounters {
  readonly requests: number;
  readonly replies: number;
  readonly damagedRequests: number;
  readonly faultsApplied: number;
  readonly bytesSent: number;
}

/**
 * Computes how long `bytes` take on an 8N1 line at `baudRate`.
 *
 * @example
 * ```ts
 * wireTimeMs(1295, 115200); // ≈ 112.4 (spec §1.1)
 * ```
 */
export function wireTimeMs(bytes: number, baudRate: number): number {
  return (bytes * BITS_PER_BYTE_ON_WIRE * 1000) / baudRate;
}

type Inbound = { readonly kind: "frame"; readonly frame: Frame } | { readonly kind: "damaged"; readonly reason: "bad-checksum" | "bad-length" };

interface Segment {
  readonly bytes: Uint8Array;
  /** Pause before the segment starts, in ms. */
  readonly gapBeforeMs: number;
}

// SW3 of a read interrupted by the card leaving the field (spec §4: 41, "card moved during read").
const SW3_READ_FAILED = 0x41;
const SW_CLEAR = 0x00;
// Garbage bytes come from a fixed-seed generator, so every run injects the same bytes.
const GARBAGE_SEED = 0x2545f491;
const LCG_MULTIPLIER = 1_103_515_245;
const LCG_INCREMENT = 12_345;
const LCG_SHIFT = 16;

/**
 * A simulated reader serving requests over a transport.
 *
 * @example
 * ```ts
 * const simulator = new ReaderSimulator({ transport: new SerialTransport({ path: pair.pathB }), clock: systemClock, responder });
 * await simulator.start();
 * simulator.removeCard();
 * ```
 */
export class ReaderSimulator implements Service {
  readonly name = "idcard-simulator";
  readonly #transport: ByteTransport;
  readonly #clock: Clock;
  readonly #responder: ReaderResponder;
  readonly #log: Logger;
  readonly #baudRate: number;
  readonly #pacing: boolean;
  readonly #moduleMs: Readonly<Record<SimulatedCommand, number>>;
  readonly #script: FaultScript;
  readonly #inbox: Inbound[] = [];
  readonly #timers = new Set<TimerId>();
  #plan: FaultPlan;
  #deframer = new Deframer();
  #controller: AbortController | undefined;
  #pump: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  // Wakes the serving loop when a request arrives (or on stop).
  #wake: (() => void) | undefined;
  #garbageState = GARBAGE_SEED;
  #requests = 0;
  #replies = 0;
  #damaged = 0;
  #bytesSent = 0;

  /** @throws {RangeError} for a baud rate or module time that is not a positive/non-negative number. */
  constructor(options: ReaderSimulatorOptions) {
    this.#transport = options.transport;
    this.#clock = options.clock;
    this.#responder = options.responder;
    this.#log = options.log ?? silentLogger;
    this.#baudRate = options.baudRate ?? DEFAULT_SIMULATOR_BAUD_RATE;
    if (!Number.isFinite(this.#baudRate) || this.#baudRate <= 0) throw new RangeError(`Invalid baud rate "${this.#baudRate}": expected a positive number`);
    this.#pacing = options.pacing ?? true;
    const moduleMs: Record<string, number> = { ...DEFAULT_MODULE_MS };
    for (const [name, ms] of Object.entries(options.moduleMs ?? {})) {
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) throw new RangeError(`Invalid module time "${String(ms)}" for "${name}": expected ms, 0 or more`);
      moduleMs[name] = ms;
    }
    this.#moduleMs = moduleMs as Record<SimulatedCommand, number>;
    this.#script = options.faults ?? NO_FAULTS;
    this.#plan = new FaultPlan(this.#script);
  }

  /** The simulated reader's logic and state. */
  get responder(): ReaderResponder {
    return this.#responder;
  }

  /** Running totals. */
  get counters(): ReaderSimulatorCounters {
    return {
      requests: this.#requests,
      replies: this.#replies,
      damagedRequests: this.#damaged,
      faultsApplied: this.#plan.applied,
      bytesSent: this.#bytesSent,
    };
  }

  /** Places a card on the reader (see {@linkcode ReaderResponder.insertCard}). */
  insertCard(card?: SimulatedCard): void {
    this.#responder.insertCard(card);
  }

  /** Lifts the card off the reader. */
  removeCard(): void {
    this.#responder.removeCard();
  }

  /**
   * Opens the transport and starts serving; timed script actions are
   * scheduled from now.
   *
   * @throws {KioskError} `device-unavailable` when the transport cannot be opened.
   */
  async start(): Promise<void> {
    if (this.#controller) return;
    await this.#transport.open();
    const controller = new AbortController();
    this.#controller = controller;
    this.#deframer = new Deframer();
    this.#plan = new FaultPlan(this.#script);
    this.#unsubscribe = this.#transport.onData((chunk) => this.#receive(chunk));
    for (const step of this.#script.steps) {
      if (step.type === "action") this.#after(step.atMs, () => this.#act(step.action));
    }
    this.#pump = this.#serve(controller.signal);
  }

  /** Stops serving: cancels every timer and pending reply and closes the transport. Safe to call twice. */
  async stop(): Promise<void> {
    const controller = this.#controller;
    if (!controller) return;
    this.#controller = undefined;
    controller.abort(new Error("Simulator stopped"));
    for (const id of this.#timers) this.#clock.clearTimeout(id);
    this.#timers.clear();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#inbox.length = 0;
    this.#wake?.();
    await this.#pump;
    await this.#transport.close();
  }

  #receive(chunk: Uint8Array): void {
    for (const event of this.#deframer.push(chunk, this.#clock.now())) {
      if (event.type === "frame") this.#inbox.push({ kind: "frame", frame: event.frame });
      else if (event.reason === "bad-checksum") this.#inbox.push({ kind: "damaged", reason: "bad-checksum" });
      else if (event.reason === "bad-length" || event.reason === "oversize") this.#inbox.push({ kind: "damaged", reason: "bad-length" });
    }
    this.#wake?.();
  }

  async #serve(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const next = this.#inbox.shift();
      if (!next) {
        await new Promise<void>((resolve) => (this.#wake = resolve));
        this.#wake = undefined;
        continue;
      }
      try {
        await this.#handle(next, signal);
      } catch (error) {
        if (signal.aborted) return;
        // A write to a transport that went away: nothing more can be sent.
        this.#log.debug(() => `Simulator could not reply: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  async #handle(inbound: Inbound, signal: AbortSignal): Promise<void> {
    const startMs = this.#clock.now();
    if (inbound.kind === "damaged") {
      this.#damaged++;
      const reply = this.#responder.respondToDamagedRequest(inbound.reason);
      await this.#send([{ bytes: reply, gapBeforeMs: 0 }], startMs, this.#pacing ? this.#moduleMs.samStatus : 0, signal);
      return;
    }
    this.#requests++;
    const command = simulatedCommandOf(readRequest(inbound.frame));
    const fault = this.#plan.next(command);
    const reply = this.#reply(inbound.frame.bytes, fault);
    const moduleMs = command === undefined ? 0 : this.#moduleMs[command];
    // The request itself took its wire time to arrive on a real line; the pty delivered it at once.
    const startOffsetMs = this.#pacing ? wireTimeMs(inbound.frame.bytes.length, this.#baudRate) + moduleMs : 0;
    this.#log.debug(() => `Simulator: ${command ?? "unknown command"}${fault ? ` with fault ${fault.fault}` : ""}`);
    await this.#send(this.#segments(reply, fault), startMs, startOffsetMs, signal);
  }

  // The reply, after the faults that change what the module answers.
  #reply(request: Uint8Array, fault: ReplyFault | undefined): Uint8Array | undefined {
    if (fault?.fault === "status") return encodeResponse(SW_CLEAR, SW_CLEAR, fault.sw3);
    if (fault?.fault === "card-removed") {
      this.#responder.removeCard();
      if (fault.reinsertAfterMs !== undefined) this.#after(fault.reinsertAfterMs, () => this.#act("insert-card"));
      return encodeResponse(SW_CLEAR, SW_CLEAR, SW3_READ_FAILED);
    }
    const reply = this.#responder.respond(request);
    if (fault?.fault === "drop") return undefined;
    if (fault?.fault === "bad-checksum") {
      const damaged = reply.slice();
      damaged[damaged.length - CHECKSUM_BYTES] = (damaged[damaged.length - CHECKSUM_BYTES] ?? 0) ^ BYTE_MAX;
      return damaged;
    }
    return reply;
  }

  // How the reply goes out on the wire, after the faults that change timing.
  #segments(reply: Uint8Array | undefined, fault: ReplyFault | undefined): Segment[] {
    if (!reply) return [];
    switch (fault?.fault) {
      case "garbage":
        return [
          { bytes: this.#garbage(fault.bytes), gapBeforeMs: 0 },
          { bytes: reply, gapBeforeMs: 0 },
        ];
      case "split": {
        const size = Math.ceil(reply.length / fault.chunks);
        const segments: Segment[] = [];
        for (let offset = 0; offset < reply.length; offset += size) {
          segments.push({ bytes: reply.subarray(offset, offset + size), gapBeforeMs: offset === 0 ? 0 : fault.gapMs });
        }
        return segments;
      }
      case "stall": {
        const cut = Math.min(fault.afterBytes ?? Math.floor(reply.length / 2), reply.length - 1);
        const head: Segment = { bytes: reply.subarray(0, cut), gapBeforeMs: 0 };
        return fault.resumeAfterMs === undefined ? [head] : [head, { bytes: reply.subarray(cut), gapBeforeMs: fault.resumeAfterMs }];
      }
      default:
        return [{ bytes: reply, gapBeforeMs: 0 }];
    }
  }

  async #send(segments: readonly Segment[], startMs: number, startOffsetMs: number, signal: AbortSignal): Promise<void> {
    let offsetMs = startOffsetMs;
    const chunkBytes = Math.max(1, Math.floor((this.#baudRate / BITS_PER_BYTE_ON_WIRE) * (PACED_CHUNK_MS / 1000)));
    for (const segment of segments) {
      offsetMs += segment.gapBeforeMs;
      const step = this.#pacing ? chunkBytes : segment.bytes.length;
      for (let i = 0; i < segment.bytes.length; i += step) {
        const chunk = segment.bytes.subarray(i, i + step);
        // Released when its last byte would have left a real UART.
        if (this.#pacing) offsetMs += wireTimeMs(chunk.length, this.#baudRate);
        await this.#sleepUntil(startMs + offsetMs, signal);
        await this.#transport.write(chunk);
        this.#bytesSent += chunk.length;
      }
    }
    if (segments.length > 0) this.#replies++;
  }

  async #sleepUntil(atMs: number, signal: AbortSignal): Promise<void> {
    const delayMs = atMs - this.#clock.now();
    if (delayMs > 0) await sleep(this.#clock, delayMs, signal);
  }

  #after(delayMs: number, fn: () => void): void {
    const id = this.#clock.setTimeout(() => {
      this.#timers.delete(id);
      fn();
    }, delayMs);
    this.#timers.add(id);
  }

  #act(action: FaultAction): void {
    this.#log.debug(() => `Simulator action: ${action}`);
    switch (action) {
      case "insert-card":
        this.#responder.insertCard();
        break;
      case "remove-card":
        this.#responder.removeCard();
        break;
      case "sam-fail":
        this.#responder.setSamOk(false);
        break;
      case "sam-ok":
        this.#responder.setSamOk(true);
        break;
    }
  }

  #garbage(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) {
      this.#garbageState = (Math.imul(this.#garbageState, LCG_MULTIPLIER) + LCG_INCREMENT) >>> 0;
      out[i] = (this.#garbageState >>> LCG_SHIFT) & BYTE_MAX;
    }
    return out;
  }
}
