/**
 * Incremental MJPEG splitter: turns the byte stream of `ffmpeg … -f
 * image2pipe -vcodec mjpeg pipe:1` (or any concatenation of JPEG files) into
 * whole JPEG images, however the stream is chunked (STYLE §1.3).
 *
 * It follows the JPEG marker structure (ITU-T T.81 Annex B) rather than
 * searching for the first `FF D9`: marker segments are skipped by their
 * length, so an EXIF thumbnail (a whole JPEG with its own `FF D8 … FF D9`
 * inside APP1) does not end the frame early; inside entropy-coded data only
 * `FF D9` ends it, since the encoder stuffs every data `FF` as `FF 00`.
 *
 * Rules:
 * - hunt for `FF D8`; an `FF` at the end of a chunk is kept, so a start
 *   marker split across chunks is found;
 * - a start that is not followed by a valid marker structure (a false
 *   `FF D8` in garbage, a bad segment length, a scan before the frame
 *   header) is rejected and the hunt resumes at the byte after it;
 * - `FF D8` where only a marker or scan data can be means the previous frame
 *   was cut off: it is dropped and counted, and the new frame starts there;
 * - the buffer never exceeds `maxFrameBytes`; a longer frame is dropped and
 *   counted; garbage is counted, not kept;
 * - `reset()` drops a partial frame, it never emits one.
 *
 * Every byte pushed ends up either in an emitted image or in `garbageBytes`
 * (except those held for a frame still arriving). It never throws on bad
 * input. It does no I/O.
 *
 * Limit: JPEG has no frame length, so an image cut off inside a marker
 * segment lets the segment's length swallow the start of the next image; the
 * result is a dropped image or one the decoder rejects. ffmpeg writes whole
 * images, so this happens only when a process dies mid-write, and the caller
 * calls `reset()` before the next process anyway.
 */
import type { JpegImage } from "./camera.ts";

/** Marker prefix byte (T.81 B.1.1.2). */
const MARKER = 0xff;
/** Start of image (T.81 Table B.1). */
const SOI = 0xd8;
/** End of image. */
const EOI = 0xd9;
/** Start of scan: entropy-coded data follows its header. */
const SOS = 0xda;
/** Restart markers RST0–RST7 may appear inside entropy-coded data. */
const RST_FIRST = 0xd0;
const RST_LAST = 0xd7;
/** A data byte `FF` inside entropy-coded data is followed by this stuffing byte (T.81 B.1.1.5). */
const STUFFING = 0x00;
/** The one standalone marker outside SOI/EOI/RSTn (T.81 Table B.1). */
const TEM = 0x01;
/** Markers from here on (up to `FE`) carry a 2-byte length; `02`–`BF` are reserved. */
const FIRST_SEGMENT_MARKER = 0xc0;
/** Frame-header markers SOF0–SOF15 are `C0`–`CF` except these (T.81 Table B.1). */
const DHT = 0xc4;
const JPG = 0xc8;
const DAC = 0xcc;
const SOF_LAST = 0xcf;
/** A segment length counts its own two bytes (T.81 B.1.1.4). */
const LENGTH_BYTES = 2;
/** SOF payload: P (1 byte), Y (2), X (2), Nf (1) at least (T.81 B.2.2). */
const SOF_MIN_PAYLOAD = 6;
const SOF_HEIGHT_OFFSET = 1;
const SOF_WIDTH_OFFSET = 3;

/**
 * Default largest JPEG accepted, in bytes. A 1920×1080 webcam MJPEG frame is
 * 0.2–0.6 MB at high quality; 4 MiB leaves room for 4K without letting a
 * runaway segment length hold unbounded memory.
 */
export const DEFAULT_MAX_JPEG_BYTES = 4 * 1024 * 1024;

// The buffer starts small and doubles, so a splitter for small test frames
// does not allocate the full cap up front.
const INITIAL_BUFFER_BYTES = 64 * 1024;

/** Options of {@linkcode MjpegSplitter}. */
export interface MjpegSplitterOptions {
  /** Largest JPEG accepted, in bytes; default {@linkcode DEFAULT_MAX_JPEG_BYTES}. Also the cap of the internal buffer. */
  readonly maxFrameBytes?: number;
}

/** Running totals of a {@linkcode MjpegSplitter}. */
export interface MjpegSplitterCounters {
  /** Whole images emitted. */
  readonly frames: number;
  /** Bytes dropped: garbage between images plus every byte of a dropped image. */
  readonly garbageBytes: number;
  /** Images dropped for growing past `maxFrameBytes`. */
  readonly oversize: number;
  /** Images cut off by a new start marker or by `reset()`. */
  readonly truncated: number;
  /** Starts rejected because the bytes after `FF D8` were not a valid JPEG structure, or the size was zero. */
  readonly invalid: number;
}

const State = {
  hunt: 0,
  markerPrefix: 1,
  markerCode: 2,
  lengthHigh: 3,
  lengthLow: 4,
  skip: 5,
  entropy: 6,
  entropyMarker: 7,
} as const;
type State = (typeof State)[keyof typeof State];

/** Outcome of scanning the held frame bytes. */
type Scan = { readonly kind: "more" } | { readonly kind: "end"; readonly at: number } | { readonly kind: "invalid" } | { readonly kind: "restart"; readonly at: number };

const MORE: Scan = { kind: "more" };
const INVALID: Scan = { kind: "invalid" };

/**
 * Splits a chunked byte stream into JPEG images.
 *
 * @example
 * ```ts
 * const splitter = new MjpegSplitter();
 * for await (const chunk of ffmpeg.stdout) {
 *   for (const image of splitter.push(chunk)) publish(image);
 * }
 * ```
 */
export class MjpegSplitter {
  /** Largest image, and the cap of the internal buffer, in bytes. */
  readonly maxFrameBytes: number;
  #buf: Uint8Array;
  #len = 0;
  #pos = 0;
  #state: State = State.hunt;
  // An FF ended the last chunk while hunting: it may be the first half of FF D8.
  #heldPrefix = false;
  #marker = 0;
  #segmentLength = 0;
  #remaining = 0;
  // Offset in #buf of the frame header's payload, or -1 before one was seen.
  #sofPayloadAt = -1;
  #sawScan = false;
  #frames = 0;
  #garbageBytes = 0;
  #oversize = 0;
  #truncated = 0;
  #invalid = 0;

  /** @throws {RangeError} when `maxFrameBytes` is not an integer of at least 4. */
  constructor(options: MjpegSplitterOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_JPEG_BYTES;
    // SOI + EOI is the shortest byte string that could be a JPEG.
    if (!Number.isInteger(max) || max < 4) {
      throw new RangeError(`Invalid maxFrameBytes "${max}": expected an integer of at least 4`);
    }
    this.maxFrameBytes = max;
    this.#buf = new Uint8Array(Math.min(max, INITIAL_BUFFER_BYTES));
  }

  /** Snapshot of the running totals. */
  get counters(): MjpegSplitterCounters {
    return {
      frames: this.#frames,
      garbageBytes: this.#garbageBytes,
      oversize: this.#oversize,
      truncated: this.#truncated,
      invalid: this.#invalid,
    };
  }

  /** Bytes held for an image still arriving (at most `maxFrameBytes`). */
  get bufferedBytes(): number {
    return this.#len + (this.#heldPrefix ? 1 : 0);
  }

  /**
   * Feeds `chunk` and returns the images it completed, in stream order. Each
   * image's `bytes` is a fresh copy; `chunk` is not kept.
   */
  push(chunk: Uint8Array): JpegImage[] {
    const out: JpegImage[] = [];
    // Bytes to look at, in order. Rejected or leftover bytes go back to the front.
    const queue: Uint8Array[] = [chunk];
    for (let input = queue.shift(); input !== undefined; input = queue.shift()) {
      while (input.length > 0) {
        if (this.#state === State.hunt) {
          input = this.#hunt(input);
          continue;
        }
        const room = this.maxFrameBytes - this.#len;
        if (room === 0) {
          // The frame outgrew the cap. Its remaining bytes cannot hold a valid
          // start (scan data has no FF D8), so hunting on from here is enough.
          this.#oversize++;
          this.#drop(this.#len);
          continue;
        }
        const take = Math.min(room, input.length);
        this.#append(input.subarray(0, take));
        input = input.subarray(take);
        const scan = this.#scan();
        if (scan.kind === "more") continue;
        if (input.length > 0) queue.unshift(input);
        input = new Uint8Array(0);
        if (scan.kind === "end") {
          const image = this.#image(scan.at);
          const rest = this.#buf.slice(scan.at, this.#len);
          if (image === undefined) {
            this.#invalid++;
            this.#drop(scan.at);
          } else {
            out.push(image);
            this.#frames++;
            this.#reset();
          }
          queue.unshift(rest);
        } else if (scan.kind === "restart") {
          this.#truncated++;
          const rest = this.#buf.slice(scan.at, this.#len);
          this.#drop(scan.at);
          queue.unshift(rest);
        } else {
          // Resume the hunt at the byte after the rejected FF of FF D8: a real
          // start may hide in the bytes the false one claimed.
          this.#invalid++;
          const rest = this.#buf.slice(1, this.#len);
          this.#drop(1);
          queue.unshift(rest);
        }
      }
    }
    return out;
  }

  /**
   * Drops a partial image (counted as truncated) and any held byte, for a
   * stream that restarted (a new ffmpeg process). Never emits anything.
   */
  reset(): void {
    if (this.#state !== State.hunt) {
      this.#truncated++;
      this.#drop(this.#len);
    }
    if (this.#heldPrefix) {
      this.#heldPrefix = false;
      this.#garbageBytes++;
    }
  }

  /** Consumes garbage up to and including the next `FF D8`; returns what follows it. */
  #hunt(input: Uint8Array): Uint8Array {
    let from = 0;
    if (this.#heldPrefix) {
      this.#heldPrefix = false;
      if (input[0] === SOI) {
        this.#begin();
        return input.subarray(1);
      }
      this.#garbageBytes++;
    }
    // Bytes before `from` that are not a start are garbage once a start or the end is found.
    const counted = from;
    for (;;) {
      const at = input.indexOf(MARKER, from);
      if (at < 0) {
        this.#garbageBytes += input.length - counted;
        return input.subarray(input.length);
      }
      if (at === input.length - 1) {
        this.#garbageBytes += at - counted;
        this.#heldPrefix = true;
        return input.subarray(input.length);
      }
      if (input[at + 1] === SOI) {
        this.#garbageBytes += at - counted;
        this.#begin();
        return input.subarray(at + 2);
      }
      from = at + 1;
    }
  }

  #begin(): void {
    this.#buf[0] = MARKER;
    this.#buf[1] = SOI;
    this.#len = 2;
    this.#pos = 2;
    this.#state = State.markerPrefix;
    this.#sofPayloadAt = -1;
    this.#sawScan = false;
  }

  #append(bytes: Uint8Array): void {
    const needed = this.#len + bytes.length;
    if (needed > this.#buf.length) {
      let capacity = this.#buf.length;
      while (capacity < needed) capacity *= 2;
      const grown = new Uint8Array(Math.min(capacity, this.maxFrameBytes));
      grown.set(this.#buf.subarray(0, this.#len));
      this.#buf = grown;
    }
    this.#buf.set(bytes, this.#len);
    this.#len = needed;
  }

  /** Drops the first `count` held bytes as garbage and goes back to hunting. */
  #drop(count: number): void {
    this.#garbageBytes += count;
    this.#reset();
  }

  #reset(): void {
    this.#len = 0;
    this.#pos = 0;
    this.#state = State.hunt;
  }

  /** Advances the marker state machine over the held bytes not yet scanned. */
  #scan(): Scan {
    const buf = this.#buf;
    while (this.#pos < this.#len) {
      switch (this.#state) {
        case State.markerPrefix: {
          if (buf[this.#pos] !== MARKER) return INVALID;
          this.#pos++;
          this.#state = State.markerCode;
          break;
        }
        case State.markerCode: {
          const code = buf[this.#pos++] ?? 0;
          if (code === MARKER) break; // fill byte (T.81 B.1.1.2)
          if (code === SOI) return { kind: "restart", at: this.#pos - 2 };
          if (code === EOI) return this.#sawScan ? { kind: "end", at: this.#pos } : INVALID;
          if (code === TEM) {
            this.#state = State.markerPrefix;
            break;
          }
          if (code < FIRST_SEGMENT_MARKER || (code >= RST_FIRST && code <= RST_LAST)) return INVALID;
          this.#marker = code;
          this.#state = State.lengthHigh;
          break;
        }
        case State.lengthHigh: {
          this.#segmentLength = (buf[this.#pos++] ?? 0) << 8;
          this.#state = State.lengthLow;
          break;
        }
        case State.lengthLow: {
          this.#segmentLength |= buf[this.#pos++] ?? 0;
          if (this.#segmentLength < LENGTH_BYTES) return INVALID;
          this.#remaining = this.#segmentLength - LENGTH_BYTES;
          if (isFrameHeader(this.#marker)) {
            if (this.#remaining < SOF_MIN_PAYLOAD) return INVALID;
            this.#sofPayloadAt = this.#pos;
          }
          // A scan needs the frame header first (T.81 B.2.1).
          if (this.#marker === SOS && this.#sofPayloadAt < 0) return INVALID;
          this.#state = State.skip;
          break;
        }
        case State.skip: {
          const step = Math.min(this.#remaining, this.#len - this.#pos);
          this.#pos += step;
          this.#remaining -= step;
          if (this.#remaining === 0) {
            if (this.#marker === SOS) {
              this.#sawScan = true;
              this.#state = State.entropy;
            } else {
              this.#state = State.markerPrefix;
            }
          }
          break;
        }
        case State.entropy: {
          // subarray keeps the search inside the held bytes, not the whole capacity.
          const at = buf.subarray(this.#pos, this.#len).indexOf(MARKER);
          if (at < 0) {
            this.#pos = this.#len;
          } else {
            this.#pos += at + 1;
            this.#state = State.entropyMarker;
          }
          break;
        }
        case State.entropyMarker: {
          const code = buf[this.#pos++] ?? 0;
          if (code === STUFFING || (code >= RST_FIRST && code <= RST_LAST)) {
            this.#state = State.entropy;
          } else if (code === MARKER) {
            // fill byte: the marker code is still to come
          } else if (code === EOI) {
            return { kind: "end", at: this.#pos };
          } else if (code === SOI) {
            return { kind: "restart", at: this.#pos - 2 };
          } else if (code >= FIRST_SEGMENT_MARKER) {
            // A table or the next scan of a progressive image.
            this.#marker = code;
            this.#state = State.lengthHigh;
          } else {
            // A corrupt byte pair inside scan data: framing is still intact,
            // so leave the damage to the decoder instead of dropping the frame.
            this.#state = State.entropy;
          }
          break;
        }
      }
    }
    return MORE;
  }

  /** The held image ending at `end`, or `undefined` when its frame header gives a zero size. */
  #image(end: number): JpegImage | undefined {
    const at = this.#sofPayloadAt;
    const buf = this.#buf;
    const height = ((buf[at + SOF_HEIGHT_OFFSET] ?? 0) << 8) | (buf[at + SOF_HEIGHT_OFFSET + 1] ?? 0);
    const width = ((buf[at + SOF_WIDTH_OFFSET] ?? 0) << 8) | (buf[at + SOF_WIDTH_OFFSET + 1] ?? 0);
    // Height 0 means "defined later by a DNL marker", which no camera uses.
    if (width === 0 || height === 0) return undefined;
    return { bytes: buf.slice(0, end), width, height };
  }
}

/** True for SOF0–SOF15 (T.81 Table B.1). */
function isFrameHeader(marker: number): boolean {
  return marker >= FIRST_SEGMENT_MARKER && marker <= SOF_LAST && marker !== DHT && marker !== JPG && marker !== DAC;
}
