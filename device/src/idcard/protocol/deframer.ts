/**
 * Incremental deframer: turns an arbitrary chunked byte stream from a reader
 * into frames, resynchronising after any damage (STYLE §1.3, §2; spec §2).
 *
 * Rules:
 * - hunt for `AA AA AA 96 69`; a preamble prefix at the end of a chunk is
 *   kept, so a preamble split across chunks is found;
 * - a length above the maximum (or below the minimum) is rejected as soon as
 *   the two length bytes arrive, and the hunt resumes at the byte after the
 *   rejected preamble start;
 * - on a checksum mismatch the hunt resumes at the byte after the rejected
 *   preamble start, not after the claimed frame: a real frame may start inside
 *   bytes that a false preamble claimed;
 * - a gap longer than `interByteTimeoutMs` inside a frame drops it; the caller
 *   passes the time, the deframer owns no timer;
 * - the buffer is bounded by the largest frame; garbage is counted, not kept;
 * - `flush` never emits a partial frame.
 *
 * It never throws on bad input.
 */
import { BYTE_BITS, HEADER_BYTES, LEN_HI_OFFSET, LEN_LO_OFFSET, MAX_FRAME_BYTES, PREAMBLE, PREAMBLE_BYTES } from "./constants.ts";
import { frameOf, inspectFrame, type Frame } from "./frame.ts";

/**
 * Default longest silence inside a frame before the partial frame is dropped.
 * At 9600 baud a byte takes ~1 ms and USB/HID readers deliver a reply in
 * bursts a few ms apart; commands are serialized with timeouts of 100 ms or
 * more (spec §3.1), so 200 ms clears a dead partial reply before the next one.
 */
export const DEFAULT_INTER_BYTE_TIMEOUT_MS = 200;

/** Options of {@linkcode Deframer}. */
export interface DeframerOptions {
  /** Longest gap between two bytes of one frame, in ms; default {@linkcode DEFAULT_INTER_BYTE_TIMEOUT_MS}. */
  readonly interByteTimeoutMs?: number;
}

/** Why the deframer rejected or dropped bytes. */
export type FrameErrorEvent =
  | { readonly type: "error"; readonly reason: "bad-checksum"; readonly len: number; readonly computed: number; readonly received: number }
  | { readonly type: "error"; readonly reason: "oversize" | "bad-length"; readonly len: number }
  | { readonly type: "error"; readonly reason: "stall"; readonly gapMs: number; readonly pendingBytes: number }
  | { readonly type: "error"; readonly reason: "truncated"; readonly pendingBytes: number };

/** What {@linkcode Deframer.push} and {@linkcode Deframer.flush} report, in stream order. */
export type FrameEvent = { readonly type: "frame"; readonly frame: Frame } | FrameErrorEvent;

/** Running totals, like the ASH `counters`. */
export interface DeframerCounters {
  /** Valid frames emitted. */
  readonly frames: number;
  /** Bytes dropped without being part of an emitted frame. */
  readonly garbageBytes: number;
  /** Candidates rejected for a wrong checksum. */
  readonly badChecksum: number;
  /** Candidates rejected for LEN above the maximum. */
  readonly oversize: number;
  /** Candidates rejected for LEN below the minimum. */
  readonly badLength: number;
  /** Partial frames dropped after an inter-byte gap. */
  readonly stalls: number;
  /** Partial frames dropped by {@linkcode Deframer.flush}. */
  readonly truncated: number;
}

const PREAMBLE_FIRST_BYTE = PREAMBLE[0] ?? 0;

/**
 * Splits a byte stream into frames.
 *
 * @example
 * ```ts
 * const deframer = new Deframer({ interByteTimeoutMs: 200 });
 * transport.onData((chunk) => {
 *   for (const event of deframer.push(chunk, clock.now())) {
 *     if (event.type === "frame") handle(event.frame);
 *   }
 * });
 * ```
 */
export class Deframer {
  /** Capacity of the internal buffer: one frame of the maximum size. */
  readonly capacityBytes = MAX_FRAME_BYTES;
  readonly #interByteTimeoutMs: number;
  // Holds only the start of a frame that is still arriving (never garbage):
  // at most one maximum-size frame minus one byte.
  readonly #buf = new Uint8Array(MAX_FRAME_BYTES);
  #pending = 0;
  // Whole length of the held frame once its header is in (0 before): while
  // fewer bytes are held, a push only appends, it need not rescan.
  #needed = 0;
  #lastByteMs: number | undefined;
  #frames = 0;
  #garbageBytes = 0;
  #badChecksum = 0;
  #oversize = 0;
  #badLength = 0;
  #stalls = 0;
  #truncated = 0;

  /** @throws {RangeError} when `interByteTimeoutMs` is negative or not finite. */
  constructor(options: DeframerOptions = {}) {
    const timeoutMs = options.interByteTimeoutMs ?? DEFAULT_INTER_BYTE_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new RangeError(`Invalid interByteTimeoutMs "${timeoutMs}": expected a finite number of ms, 0 or more`);
    }
    this.#interByteTimeoutMs = timeoutMs;
  }

  /** Snapshot of the running totals. */
  get counters(): DeframerCounters {
    return {
      frames: this.#frames,
      garbageBytes: this.#garbageBytes,
      badChecksum: this.#badChecksum,
      oversize: this.#oversize,
      badLength: this.#badLength,
      stalls: this.#stalls,
      truncated: this.#truncated,
    };
  }

  /** Bytes held for a frame still arriving; never more than {@linkcode Deframer.capacityBytes}. */
  get bufferedBytes(): number {
    return this.#pending;
  }

  /**
   * Feeds received bytes.
   *
   * @param chunk bytes as received; not kept (frames own copies).
   * @param nowMs the current time in ms from the caller's clock, used for the inter-byte timeout.
   * @returns the frames and errors found, in stream order.
   */
  push(chunk: Uint8Array, nowMs: number): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (this.#pending > 0 && this.#lastByteMs !== undefined) {
      const gapMs = nowMs - this.#lastByteMs;
      if (gapMs > this.#interByteTimeoutMs) this.#drain(events, { type: "error", reason: "stall", gapMs, pendingBytes: this.#pending });
    }
    if (chunk.length === 0) return events;
    this.#lastByteMs = nowMs;

    let offset = 0;
    while (offset < chunk.length) {
      if (this.#pending === 0) {
        // Nothing held: scan the caller's chunk in place and keep only the
        // start of a frame that runs past its end (always < one max frame).
        const keepFrom = this.#scan(chunk, offset, chunk.length, events, false);
        this.#buf.set(chunk.subarray(keepFrom), 0);
        this.#hold(chunk.length - keepFrom);
        return events;
      }
      // A frame is arriving: append what fits, then rescan from its start
      // once it can be complete.
      const n = Math.min(this.capacityBytes - this.#pending, chunk.length - offset);
      this.#buf.set(chunk.subarray(offset, offset + n), this.#pending);
      this.#pending += n;
      offset += n;
      if (this.#pending < this.#needed) continue;
      const keepFrom = this.#scan(this.#buf, 0, this.#pending, events, false);
      this.#buf.copyWithin(0, keepFrom, this.#pending);
      this.#hold(this.#pending - keepFrom);
    }
    return events;
  }

  // Records how many bytes are held at the start of #buf and, when the
  // header is complete, how many the frame needs in all.
  #hold(count: number): void {
    this.#pending = count;
    this.#needed = count >= HEADER_BYTES ? HEADER_BYTES + (((this.#buf[LEN_HI_OFFSET] ?? 0) << BYTE_BITS) | (this.#buf[LEN_LO_OFFSET] ?? 0)) : 0;
  }

  /**
   * Ends the stream: complete frames still held are emitted, an incomplete
   * one is dropped and reported as `truncated`, never emitted.
   */
  flush(): FrameEvent[] {
    const events: FrameEvent[] = [];
    if (this.#pending > 0) this.#drain(events, { type: "error", reason: "truncated", pendingBytes: this.#pending });
    return events;
  }

  // Gives up on the frame being held. Frames that started inside it (after a
  // false preamble) are still recovered; every incomplete candidate is
  // skipped instead of awaited. The drop is reported when a whole preamble
  // was held: a lone preamble prefix is just garbage.
  #drain(events: FrameEvent[], dropEvent: FrameErrorEvent): void {
    if (this.#pending >= PREAMBLE_BYTES) {
      events.push(dropEvent);
      if (dropEvent.reason === "stall") this.#stalls++;
      else this.#truncated++;
    }
    this.#scan(this.#buf, 0, this.#pending, events, true);
    this.#hold(0);
  }

  // Hunts frames in src[from..end). Returns the index where an incomplete
  // frame starts (to be kept), or `end` when nothing needs keeping. With
  // `final`, incomplete candidates are skipped and everything is consumed.
  #scan(src: Uint8Array, from: number, end: number, events: FrameEvent[], final: boolean): number {
    // indexOf must not look past `end` (the buffer tail holds stale bytes).
    const view = end === src.length ? src : src.subarray(0, end);
    let consumed = from; // bytes before this index are accounted for
    let pos = from;
    while (pos < end) {
      const start = view.indexOf(PREAMBLE_FIRST_BYTE, pos);
      if (start < 0) break;
      const check = inspectFrame(view, start, end);
      switch (check.kind) {
        case "bad-preamble":
          pos = start + 1;
          break;
        case "incomplete":
          if (final) {
            pos = start + 1;
            break;
          }
          this.#garbageBytes += start - consumed;
          return start;
        case "oversize":
          this.#oversize++;
          events.push({ type: "error", reason: "oversize", len: check.len });
          pos = start + 1;
          break;
        case "bad-length":
          this.#badLength++;
          events.push({ type: "error", reason: "bad-length", len: check.len });
          pos = start + 1;
          break;
        case "bad-checksum":
          this.#badChecksum++;
          events.push({ type: "error", reason: "bad-checksum", len: check.len, computed: check.computed, received: check.received });
          pos = start + 1;
          break;
        case "ok": {
          const frameEnd = start + HEADER_BYTES + check.len;
          this.#garbageBytes += start - consumed;
          this.#frames++;
          // Copy: the source is the caller's chunk or our reused buffer.
          events.push({ type: "frame", frame: frameOf(src.slice(start, frameEnd)) });
          consumed = frameEnd;
          pos = frameEnd;
          break;
        }
      }
    }
    this.#garbageBytes += end - consumed;
    return end;
  }
}
