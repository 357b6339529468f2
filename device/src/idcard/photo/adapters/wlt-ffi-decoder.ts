/**
 * Decodes chip WLT photos with the reader vendor's licensed library, called
 * through `bun:ffi`. WLT is proprietary and no open decoder exists (spec
 * §8.1), so the library, the function it exports and how its output is laid
 * out all come from configuration, checked against the vendor's documentation
 * and a real card.
 *
 * The vendor function runs synchronously on the calling thread and can crash
 * the process if it is given the wrong ABI; it is only ever given a private
 * copy of the 1024 photo bytes and an output buffer with a guard zone, so a
 * mis-sized write is caught instead of corrupting memory.
 */
import { dlopen, FFIType } from "bun:ffi";
import { KioskError } from "@kiosk/contracts";
import { PHOTO_BYTES } from "../../protocol/constants.ts";
import {
  CHIP_PHOTO_HEIGHT,
  CHIP_PHOTO_RGB_BYTES,
  CHIP_PHOTO_WIDTH,
  describeWltReturnCode,
  photoDecodeFailure,
  RGB_CHANNELS,
  WLT_DECODE_OK,
  type PhotoDecodeResult,
  type PhotoDecoder,
} from "../photo-decoder.ts";

/**
 * Calling conventions of vendor WLT functions this adapter can call, with
 * what each one is. Adding an ABI means adding a key here and its binding.
 */
export const WLT_FFI_ABIS = {
  /**
   * `int f(char *wlt1024, char *outRgb38556, int arg)`: decodes the 1024-byte
   * WLT into 102×126×3 raw bytes and returns 1 on success (libwlt2bmp.so /
   * libwlt_wei.so `_Z6unpackPcS_i`, ZKTeco `wlt2Bmp`; spec §8.1).
   */
  "unpack-rgb": "int f(char *wlt1024, char *outRgb38556, int arg), 1 = success",
} as const;

/** One of the keys of {@linkcode WLT_FFI_ABIS}. */
export type WltFfiAbi = keyof typeof WLT_FFI_ABIS;

/** Byte order of one pixel in the library's output. */
export type WltChannelOrder = "rgb" | "bgr";

/**
 * Settings of {@linkcode WltFfiDecoder}. They are kiosk configuration keys:
 * a plain object, no functions.
 */
export interface WltFfiDecoderOptions {
  /**
   * Path of the vendor's shared library, such as `/opt/reader/libwlt2bmp.so`.
   * Use an absolute path: a bare name is searched on the system library path.
   * The library must match the process (64-bit for Bun on x86-64 or arm64).
   */
  readonly libraryPath: string;
  /**
   * Name of the exported decode function, as `nm -D` prints it. Default
   * `_Z6unpackPcS_i`, the C++ name of `unpack(char*, char*, int)` in
   * libwlt2bmp.so; C builds export plain `unpack`.
   */
  readonly symbol?: string;
  /** How the function is called; default `"unpack-rgb"`. See {@linkcode WLT_FFI_ABIS}. */
  readonly abi?: WltFfiAbi;
  /**
   * The vendor value passed as the third argument of `unpack-rgb`. Its
   * meaning is not documented; public wrappers pass 708 or 752 (spec §8.1),
   * so there is no default: take it from the vendor's sample code.
   */
  readonly arg: number;
  /** Pixel byte order of the output: `"bgr"` when the library writes BMP-style pixels. */
  readonly channelOrder: WltChannelOrder;
  /** True when the output's first row is the bottom of the image, as in a BMP. */
  readonly bottomUp: boolean;
  /** True when each row runs right to left; default false. Some wrappers reverse the whole buffer (spec §8). */
  readonly mirrored?: boolean;
}

/** Defaults of the optional {@linkcode WltFfiDecoderOptions}. */
export const WLT_FFI_DEFAULTS = {
  symbol: "_Z6unpackPcS_i",
  abi: "unpack-rgb",
  mirrored: false,
} as const satisfies Required<Pick<WltFfiDecoderOptions, "symbol" | "abi" | "mirrored">>;

/** Config key under which the kiosk keeps {@linkcode WltFfiDecoderOptions}; used in error messages. */
export const DEFAULT_WLT_CONFIG_KEY = "idcard.wltDecoder";

// Extra output bytes filled with a known pattern and checked after each call.
// A library that writes a whole BMP (38 862 bytes, spec §8) instead of raw
// pixels lands in here, and the decode fails instead of overrunning memory.
const OUTPUT_GUARD_BYTES = 4096;
const GUARD_FILL = 0xa5;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

type NativeFunction = (...args: never[]) => unknown;

interface AbiBinding {
  readonly definition: { readonly args: FFIType[]; readonly returns: FFIType };
  /** Bytes the function writes: its output is this many raw pixel bytes. */
  readonly outputBytes: number;
  call(fn: NativeFunction, wlt: Uint8Array, out: Uint8Array, arg: number): number;
}

const ABI_BINDINGS: { readonly [K in WltFfiAbi]: AbiBinding } = {
  "unpack-rgb": {
    definition: { args: [FFIType.ptr, FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
    outputBytes: CHIP_PHOTO_RGB_BYTES,
    call: (fn, wlt, out, arg) => Number((fn as (wlt: Uint8Array, out: Uint8Array, arg: number) => number)(wlt, out, arg)),
  },
};

interface LoadedLibrary {
  readonly fn: NativeFunction;
  close(): void;
}

/**
 * A {@linkcode PhotoDecoder} for WLT photos backed by the vendor library.
 * The constructor only checks the options; the library is loaded by
 * {@linkcode WltFfiDecoder.open} or, failing that, by the first decode.
 *
 * @example
 * ```ts
 * const wlt = new WltFfiDecoder({ libraryPath: "/opt/reader/libwlt2bmp.so", arg: 708, channelOrder: "bgr", bottomUp: true });
 * wlt.open(); // at boot, so a wrong path stops the kiosk with a clear message
 * const result = await wlt.decode(identity.photo.bytes);
 * ```
 */
export class WltFfiDecoder implements PhotoDecoder {
  readonly #libraryPath: string;
  readonly #symbol: string;
  readonly #abi: WltFfiAbi;
  readonly #arg: number;
  readonly #channelOrder: WltChannelOrder;
  readonly #bottomUp: boolean;
  readonly #mirrored: boolean;
  readonly #configKey: string;
  #library: LoadedLibrary | undefined;

  /**
   * @param configKey where the options sit in the kiosk config, named in errors.
   * @throws {TypeError} or {RangeError} for options of the wrong type or out of range.
   */
  constructor(options: WltFfiDecoderOptions, configKey: string = DEFAULT_WLT_CONFIG_KEY) {
    this.#configKey = configKey;
    this.#libraryPath = nonEmptyString(this.#key("libraryPath"), options.libraryPath);
    this.#symbol = nonEmptyString(this.#key("symbol"), options.symbol ?? WLT_FFI_DEFAULTS.symbol);
    const abi = options.abi ?? WLT_FFI_DEFAULTS.abi;
    if (!Object.hasOwn(WLT_FFI_ABIS, abi)) {
      throw new RangeError(`Unknown WLT decoder ABI "${String(abi)}" in "${this.#key("abi")}": use one of ${Object.keys(WLT_FFI_ABIS).join(", ")}`);
    }
    this.#abi = abi;
    if (!Number.isInteger(options.arg) || options.arg < INT32_MIN || options.arg > INT32_MAX) {
      throw new RangeError(`Invalid "${this.#key("arg")}" ${String(options.arg)}: expected a 32-bit integer`);
    }
    this.#arg = options.arg;
    if (options.channelOrder !== "rgb" && options.channelOrder !== "bgr") {
      throw new RangeError(`Invalid "${this.#key("channelOrder")}" "${String(options.channelOrder)}": use "rgb" or "bgr"`);
    }
    this.#channelOrder = options.channelOrder;
    this.#bottomUp = boolean(this.#key("bottomUp"), options.bottomUp);
    this.#mirrored = boolean(this.#key("mirrored"), options.mirrored ?? WLT_FFI_DEFAULTS.mirrored);
  }

  /** True while the library is loaded. */
  get isOpen(): boolean {
    return this.#library !== undefined;
  }

  /**
   * Loads the library and looks up the function; does nothing when already open.
   *
   * @throws {KioskError} `missing-dependency` naming the path or symbol and
   *   the config key to fix, when the library cannot be loaded or lacks the symbol.
   */
  open(): void {
    this.#load();
  }

  /** Unloads the library; safe to call when closed. A later decode loads it again. */
  close(): void {
    const library = this.#library;
    this.#library = undefined;
    library?.close();
  }

  /**
   * Decodes a 1024-byte WLT photo. A wrong size, an error code from the
   * library or an unusable output is a `wlt-decode-failed` value.
   *
   * @throws {KioskError} `missing-dependency` when the library must be loaded and cannot be (see {@linkcode WltFfiDecoder.open}).
   */
  async decode(bytes: Uint8Array): Promise<PhotoDecodeResult> {
    if (bytes.length !== PHOTO_BYTES) {
      // The library reads a fixed 1024 bytes: a shorter buffer would be read past its end.
      return photoDecodeFailure("wlt-decode-failed", `WLT photo has ${bytes.length} bytes: the decoder needs exactly ${PHOTO_BYTES}`);
    }
    const library = this.#load();
    const binding = ABI_BINDINGS[this.#abi];
    // A private copy: the ABI takes a non-const char*, and the caller's bytes
    // share memory with the received frame.
    const input = bytes.slice();
    const output = new Uint8Array(binding.outputBytes + OUTPUT_GUARD_BYTES);
    output.fill(GUARD_FILL, binding.outputBytes);

    const code = binding.call(library.fn, input, output, this.#arg);
    if (code !== WLT_DECODE_OK) {
      return photoDecodeFailure("wlt-decode-failed", `WLT decoder "${this.#symbol}" returned ${code}: ${describeWltReturnCode(code)}`);
    }
    if (!isFilled(output.subarray(binding.outputBytes), GUARD_FILL)) {
      return photoDecodeFailure(
        "wlt-decode-failed",
        `WLT decoder "${this.#symbol}" wrote past its ${binding.outputBytes}-byte output: check "${this.#key("abi")}" and "${this.#key("symbol")}"`,
      );
    }
    const pixels = output.subarray(0, binding.outputBytes);
    if (isFilled(pixels, 0)) {
      // Seen with a 32-bit-only vendor library (spec §8.1): success, but a black image.
      return photoDecodeFailure("wlt-decode-failed", `WLT decoder "${this.#symbol}" reported success but wrote an all-black image: check the library build and "${this.#key("arg")}"`);
    }
    const rgb = toTopDownRgb(pixels, CHIP_PHOTO_WIDTH, CHIP_PHOTO_HEIGHT, this.#channelOrder, this.#bottomUp, this.#mirrored);
    return { ok: true, photo: { format: "wlt", width: CHIP_PHOTO_WIDTH, height: CHIP_PHOTO_HEIGHT, rgb } };
  }

  #load(): LoadedLibrary {
    if (this.#library !== undefined) return this.#library;
    const definition = ABI_BINDINGS[this.#abi].definition;
    let library: ReturnType<typeof dlopen<Record<string, typeof definition>>>;
    try {
      library = dlopen(this.#libraryPath, { [this.#symbol]: definition });
    } catch (error) {
      throw this.#loadError(error);
    }
    const fn = library.symbols[this.#symbol];
    if (fn === undefined) {
      library.close();
      throw this.#symbolError(undefined);
    }
    this.#library = { fn: fn as NativeFunction, close: () => library.close() };
    return this.#library;
  }

  // Bun reports a library that cannot be opened with code ERR_DLOPEN_FAILED and
  // a missing symbol with a TypeError; the two need different fixes.
  #loadError(error: unknown): KioskError {
    const code = (error as { code?: unknown } | null)?.code;
    if (code !== "ERR_DLOPEN_FAILED") return this.#symbolError(error);
    const reason = dlopenReason(error);
    const hint = reason.includes("ELFCLASS32") ? " (the library is 32-bit: ask the reader vendor for a 64-bit build)" : "";
    const key = this.#key("libraryPath");
    return new KioskError("missing-dependency", `Cannot load the WLT decoder library "${this.#libraryPath}" set in "${key}": ${reason}${hint}`, {
      cause: error,
      details: { configKey: key, libraryPath: this.#libraryPath },
    });
  }

  #symbolError(cause: unknown): KioskError {
    const key = this.#key("symbol");
    return new KioskError(
      "missing-dependency",
      `WLT decoder library "${this.#libraryPath}" has no function "${this.#symbol}" set in "${key}": list its exports with "nm -D ${this.#libraryPath}"`,
      { cause, details: { configKey: key, libraryPath: this.#libraryPath, symbol: this.#symbol } },
    );
  }

  #key(name: keyof WltFfiDecoderOptions): string {
    return `${this.#configKey}.${name}`;
  }
}

/** Reorders raw decoder output into RGB, top row first, left to right. */
function toTopDownRgb(raw: Uint8Array, width: number, height: number, order: WltChannelOrder, bottomUp: boolean, mirrored: boolean): Uint8Array {
  const rowBytes = width * RGB_CHANNELS;
  const rgb = new Uint8Array(rowBytes * height);
  const [r, g, b] = order === "rgb" ? [0, 1, 2] : [2, 1, 0];
  for (let y = 0; y < height; y++) {
    const from = (bottomUp ? height - 1 - y : y) * rowBytes;
    const to = y * rowBytes;
    for (let x = 0; x < width; x++) {
      const src = from + (mirrored ? width - 1 - x : x) * RGB_CHANNELS;
      const dst = to + x * RGB_CHANNELS;
      rgb[dst] = raw[src + r] ?? 0;
      rgb[dst + 1] = raw[src + g] ?? 0;
      rgb[dst + 2] = raw[src + b] ?? 0;
    }
  }
  return rgb;
}

function isFilled(bytes: Uint8Array, value: number): boolean {
  for (const byte of bytes) if (byte !== value) return false;
  return true;
}

// Bun's message is `Failed to open library "<path>": <dlerror text>`; the
// path is already in ours, so keep only the reason.
function dlopenReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const marker = message.indexOf('": ');
  return marker === -1 ? message : message.slice(marker + 3);
}

function nonEmptyString(key: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0) throw new TypeError(`Invalid "${key}": expected a non-empty string`);
  return value;
}

function boolean(key: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`Invalid "${key}" ${String(value)}: expected true or false`);
  return value;
}
