/**
 * The ID-card benchmark behind `./kiosk bench idcard`: the whole stack over a
 * real pty pair (SerialPortStream + BunSerialBinding + session on one end,
 * the simulator on the other), and the deframer alone.
 *
 * What is measured, for each read: from the moment the session writes the
 * find request that sees the new card, to the `card-read` event with the
 * parsed card — find, select and read, the part the session controls. The
 * wait for the next poll (up to `pollIntervalMs`) is left out: it is a
 * setting, not overhead.
 * - unpaced: the simulator answers at once, so the time is our own overhead
 *   (codec, queue, transport, pty);
 * - paced: the simulator releases bytes at the line speed and adds its module
 *   time, so the time should be close to `wireAndModuleMs`, the computed wire
 *   time of the six frames plus the module times.
 */
import { silentLogger, systemClock } from "@kiosk/contracts";
import type { ByteTransport } from "../../transport/byte-transport.ts";
import { serialReaderTransport } from "../adapters/reader-transports.ts";
import { encodeBaseMessageReply } from "../protocol/base-message-encoder.ts";
import { COMMANDS, FIND_CARD_DATA_BYTES, SELECT_CARD_DATA_BYTES } from "../protocol/constants.ts";
import { Deframer } from "../protocol/deframer.ts";
import { encodeCommand, encodeResponse } from "../protocol/frame.ts";
import { SW3_CARD_FOUND, SW3_OK } from "../protocol/status.ts";
import { IdCardReader } from "../reader.ts";
import { startPtyLink } from "../simulator/adapters/pty-link.ts";
import { loadCardFile, demoCardPath } from "../simulator/card-file.ts";
import { ReaderResponder, type SimulatedCard } from "../simulator/reader-responder.ts";
import { DEFAULT_SIMULATOR_BAUD_RATE, ReaderSimulator, wireTimeMs } from "../simulator/reader-simulator.ts";

/** Options of {@linkcode runIdCardBench}; all have defaults. */
export interface IdCardBenchOptions {
  /** Reads without pacing; default 50. */
  readonly unpacedRuns?: number;
  /** Reads with pacing; default 15. */
  readonly pacedRuns?: number;
  /** Reads before each series that are not counted (warm-up); default 3. */
  readonly warmupRuns?: number;
  /** Line speed of the paced series; default 115200 (spec §1.1). */
  readonly baudRate?: number;
  /** Module times of the paced series, ms; defaults {@linkcode BENCH_MODULE_MS}. */
  readonly moduleMs?: Partial<typeof BENCH_MODULE_MS>;
  /** Size of the deframer input, in MB (10⁶ bytes); default 32. */
  readonly deframerMegabytes?: number;
  /** Card to read; default the demo resident card. */
  readonly card?: SimulatedCard;
  /** Gives up on one read after this long, ms; default 5000. */
  readonly readTimeoutMs?: number;
}

/** What {@linkcode runIdCardBench} reports. Times in ms. */
export interface IdCardBenchResult {
  /** Median time from the find that sees the card to the parsed card, simulator unpaced. */
  readonly overheadMsMedian: number;
  readonly overheadMsP90: number;
  readonly unpacedSamples: number;
  /** The same with the simulator paced at `baudRate` plus module times. */
  readonly pacedMsMedian: number;
  readonly pacedSamples: number;
  /** Wire time of the six frames of find, select and read at `baudRate` (10 bits/byte) plus the module times. */
  readonly wireAndModuleMs: number;
  /** `pacedMsMedian / wireAndModuleMs`; within 0.9–1.1 when pacing is faithful. */
  readonly pacedToWireAndModuleRatio: number;
  /** Deframer throughput on mixed input (frames, garbage, false preambles), MB (10⁶ bytes) per second. */
  readonly deframerMBps: number;
  readonly deframerBytes: number;
  readonly deframerFrames: number;
  readonly baudRate: number;
  readonly moduleMs: typeof BENCH_MODULE_MS;
  readonly pollIntervalMs: number;
  readonly measuredFrom: string;
}

/** Module times of the paced series: find and select are quick, the chip read is the slow part. */
export const BENCH_MODULE_MS = { findCard: 15, selectCard: 15, readBase: 150 } as const;

// Polls as fast as possible: the poll wait is not measured, only the exchange.
const BENCH_POLL_INTERVAL_MS = 2;
const BENCH_CHUNK_BYTES = 4096;
const BYTES_PER_MB = 1_000_000;
const MS_PER_S = 1000;
const P90 = 0.9;
const FIND_REQUEST = encodeCommand(COMMANDS.findCard);

/**
 * Runs the benchmark. Needs socat (pty pairs) and takes a few seconds.
 *
 * @throws {Error} when socat is missing or a read does not complete within `readTimeoutMs`.
 */
export async function runIdCardBench(options: IdCardBenchOptions = {}): Promise<IdCardBenchResult> {
  const baudRate = options.baudRate ?? DEFAULT_SIMULATOR_BAUD_RATE;
  const moduleMs = { ...BENCH_MODULE_MS, ...options.moduleMs };
  const card = options.card ?? (await loadCardFile(demoCardPath())).simulated;
  const series = { card, baudRate, moduleMs, warmupRuns: options.warmupRuns ?? 3, readTimeoutMs: options.readTimeoutMs ?? 5000 };
  const unpaced = await readSeries({ ...series, runs: options.unpacedRuns ?? 50, pacing: false });
  const paced = await readSeries({ ...series, runs: options.pacedRuns ?? 15, pacing: true });
  const wireAndModuleMs = exchangeWireMs(card, baudRate) + moduleMs.findCard + moduleMs.selectCard + moduleMs.readBase;
  const deframer = deframerThroughput((options.deframerMegabytes ?? 32) * BYTES_PER_MB, card);
  const pacedMsMedian = quantile(paced, 0.5);
  return {
    overheadMsMedian: round(quantile(unpaced, 0.5)),
    overheadMsP90: round(quantile(unpaced, P90)),
    unpacedSamples: unpaced.length,
    pacedMsMedian: round(pacedMsMedian),
    pacedSamples: paced.length,
    wireAndModuleMs: round(wireAndModuleMs),
    pacedToWireAndModuleRatio: round(pacedMsMedian / wireAndModuleMs, 3),
    deframerMBps: round(deframer.mbps, 1),
    deframerBytes: deframer.bytes,
    deframerFrames: deframer.frames,
    baudRate,
    moduleMs,
    pollIntervalMs: BENCH_POLL_INTERVAL_MS,
    measuredFrom: "find request that sees the card written → card-read event (pty, SerialPortStream + BunSerialBinding, simulator on the other end)",
  };
}

interface SeriesOptions {
  readonly card: SimulatedCard;
  readonly baudRate: number;
  readonly moduleMs: typeof BENCH_MODULE_MS;
  readonly runs: number;
  readonly warmupRuns: number;
  readonly pacing: boolean;
  readonly readTimeoutMs: number;
}

async function readSeries(options: SeriesOptions): Promise<number[]> {
  await using link = await startPtyLink();
  const responder = new ReaderResponder({ card: options.card, cardPresent: false, rereadBehaviour: "rereads" });
  const simulator = new ReaderSimulator({
    transport: await serialReaderTransport({ path: link.pathB, baudRate: options.baudRate })(),
    clock: systemClock,
    responder,
    baudRate: options.baudRate,
    pacing: options.pacing,
    moduleMs: options.moduleMs,
  });
  let lastFindWrittenAt = 0;
  const hostFactory = serialReaderTransport({ path: link.pathA, baudRate: options.baudRate });
  const reader = new IdCardReader({
    transportFactory: async () => new TimedWrites(await hostFactory(), (bytes, at) => {
      if (sameBytes(bytes, FIND_REQUEST)) lastFindWrittenAt = at;
    }),
    clock: systemClock,
    log: silentLogger,
    pollIntervalMs: BENCH_POLL_INTERVAL_MS,
    rereadBehaviour: "rereads",
    removalMisses: 1,
  });
  const owner = {};
  const samples: number[] = [];
  try {
    await simulator.start();
    const ready = nextEvent(reader, owner, "reader-ready", options.readTimeoutMs);
    await reader.start();
    await ready;
    for (let i = 0; i < options.warmupRuns + options.runs; i++) {
      const read = nextEvent(reader, owner, "card-read", options.readTimeoutMs);
      responder.insertCard();
      await read;
      const elapsed = performance.now() - lastFindWrittenAt;
      if (i >= options.warmupRuns) samples.push(elapsed);
      const removed = nextEvent(reader, owner, "card-removed", options.readTimeoutMs);
      responder.removeCard();
      await removed;
    }
  } finally {
    reader.off(owner);
    await reader.stop();
    await simulator.stop();
  }
  return samples;
}

function nextEvent(reader: IdCardReader, owner: object, event: "reader-ready" | "card-read" | "card-removed", timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // Real time on purpose: this is a benchmark on real I/O.
    const timer = setTimeout(() => {
      off();
      reject(new Error(`No "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = reader.on(owner, event, () => {
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** A transport that reports the time of each write; everything else passes through. */
class TimedWrites implements ByteTransport {
  readonly #inner: ByteTransport;
  readonly #onWrite: (bytes: Uint8Array, atMs: number) => void;

  constructor(inner: ByteTransport, onWrite: (bytes: Uint8Array, atMs: number) => void) {
    this.#inner = inner;
    this.#onWrite = onWrite;
  }

  get description(): string {
    return this.#inner.description;
  }

  get isOpen(): boolean {
    return this.#inner.isOpen;
  }

  open(): Promise<void> {
    return this.#inner.open();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  write(bytes: Uint8Array): Promise<void> {
    this.#onWrite(bytes, performance.now());
    return this.#inner.write(bytes);
  }

  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.#inner.onData(listener);
  }

  onClose(listener: Parameters<ByteTransport["onClose"]>[0]): () => void {
    return this.#inner.onClose(listener);
  }
}

// Requests and replies of find, select and read (spec §3): three 10-byte
// requests, a 15-byte find reply, a 19-byte select reply and the read reply.
function exchangeWireMs(card: SimulatedCard, baudRate: number): number {
  const requests = [COMMANDS.findCard, COMMANDS.selectCard, COMMANDS.readBase].map((c) => encodeCommand(c).length);
  const replies = [
    encodeResponse(0, 0, SW3_CARD_FOUND, new Uint8Array(FIND_CARD_DATA_BYTES)).length,
    encodeResponse(0, 0, SW3_OK, new Uint8Array(SELECT_CARD_DATA_BYTES)).length,
    encodeBaseMessageReply({ text: card.text, photo: card.photo }, "base").length,
  ];
  return wireTimeMs([...requests, ...replies].reduce((a, b) => a + b, 0), baudRate);
}

/**
 * Pushes `totalBytes` of mixed input through a deframer in 4 KiB chunks:
 * read replies, short replies, garbage runs and false preamble starts.
 */
function deframerThroughput(totalBytes: number, card: SimulatedCard): { mbps: number; bytes: number; frames: number } {
  const pieces = [
    encodeBaseMessageReply({ text: card.text, photo: card.photo }, "base"),
    encodeResponse(0, 0, SW3_CARD_FOUND, new Uint8Array(FIND_CARD_DATA_BYTES)),
    Uint8Array.of(0x13, 0x37, 0xaa, 0xaa, 0x01, 0x96, 0x69, 0xaa, 0x42),
    encodeResponse(0, 0, SW3_OK, new Uint8Array(SELECT_CARD_DATA_BYTES)),
    new Uint8Array(64).map((_, i) => (i * 37 + 11) & 0xff),
  ];
  const input = new Uint8Array(totalBytes);
  let filled = 0;
  for (let i = 0; filled < totalBytes; i++) {
    const piece = pieces[i % pieces.length] ?? new Uint8Array(0);
    input.set(piece.subarray(0, totalBytes - filled), filled);
    filled += piece.length;
  }
  const deframer = new Deframer();
  let frames = 0;
  const started = performance.now();
  for (let offset = 0; offset < input.length; offset += BENCH_CHUNK_BYTES) {
    for (const event of deframer.push(input.subarray(offset, offset + BENCH_CHUNK_BYTES), 0)) if (event.type === "frame") frames++;
  }
  const seconds = (performance.now() - started) / MS_PER_S;
  return { mbps: totalBytes / BYTES_PER_MB / seconds, bytes: totalBytes, frames };
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
