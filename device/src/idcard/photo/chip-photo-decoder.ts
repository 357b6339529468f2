/**
 * The one photo decoder the rest of the kiosk sees: it tells the format from
 * the first bytes and hands the photo to the decoder for that format. A real
 * reader gives WLT (spec §8); simulators and bridges give JPEG or WebP.
 *
 * Pure: the decoders that touch libraries (sharp, the vendor's WLT library
 * through `bun:ffi`) live in `adapters/` and are injected.
 */
import { isKioskError } from "@kiosk/contracts";
import { sniffPhotoFormat } from "../protocol/base-message.ts";
import {
  NO_WLT_DECODER_MESSAGE,
  photoDecodeFailure,
  type PhotoDecodeFailureCode,
  type PhotoDecodeResult,
  type PhotoDecoder,
} from "./photo-decoder.ts";

/** The decoders {@linkcode ChipPhotoDecoder} dispatches to. */
export interface ChipPhotoDecoderOptions {
  /** Decodes JPEG and WebP photos (simulated cards). */
  readonly image: PhotoDecoder;
  /**
   * Decodes WLT photos from the chip, normally the vendor's licensed
   * library. Without it a WLT photo gives the `no-wlt-decoder` failure.
   */
  readonly wlt?: PhotoDecoder;
}

/**
 * Decodes any card photo by dispatching on its format: WLT to the WLT
 * decoder, JPEG and WebP to the image decoder, anything else is
 * `unsupported-format`.
 *
 * @example
 * ```ts
 * const photos = new ChipPhotoDecoder({ image: new ImagePhotoDecoder(), wlt: new WltFfiDecoder(config.wlt) });
 * const result = await photos.decode(identity.photo.bytes);
 * if (!result.ok) return sendToStaffWindow(result.code);
 * ```
 */
export class ChipPhotoDecoder implements PhotoDecoder {
  readonly #image: PhotoDecoder;
  readonly #wlt: PhotoDecoder | undefined;

  constructor(options: ChipPhotoDecoderOptions) {
    this.#image = options.image;
    this.#wlt = options.wlt;
  }

  /** True when a WLT decoder was configured, for status reports. */
  get canDecodeWlt(): boolean {
    return this.#wlt !== undefined;
  }

  /**
   * Decodes `bytes`. Bad bytes always give a failure value, even when an
   * injected decoder throws on them.
   *
   * @throws {KioskError} only as thrown by an injected decoder for its
   *   environment (such as `missing-dependency` when the vendor library cannot
   *   be loaded): that is a configuration fault, not a property of the card.
   */
  async decode(bytes: Uint8Array): Promise<PhotoDecodeResult> {
    const format = sniffPhotoFormat(bytes);
    switch (format) {
      case "wlt":
        if (this.#wlt === undefined) return photoDecodeFailure("no-wlt-decoder", NO_WLT_DECODER_MESSAGE);
        return guarded(this.#wlt, bytes, "wlt-decode-failed");
      case "jpeg":
      case "webp":
        return guarded(this.#image, bytes, "image-decode-failed");
      case "unknown":
        return photoDecodeFailure("unsupported-format", `Cannot decode a photo of ${bytes.length} bytes: its first bytes match no known format (WLT, JPEG, WebP)`);
    }
  }
}

// Injected decoders promise not to throw on bad bytes; this keeps that
// promise for them when one does, because a card must never crash the kiosk.
async function guarded(decoder: PhotoDecoder, bytes: Uint8Array, code: PhotoDecodeFailureCode): Promise<PhotoDecodeResult> {
  try {
    return await decoder.decode(bytes);
  } catch (error) {
    if (isKioskError(error)) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    return photoDecodeFailure(code, `Photo decoder threw: ${reason}`);
  }
}
