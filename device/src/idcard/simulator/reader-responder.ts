/**
 * The logic of a simulated ID-card reader: request frame in, response frame
 * out, with the state a real SAM keeps (spec §3, §3.1, §4). Pure: no I/O and
 * no timers; `ReaderSimulator` adds pacing, faults and a transport.
 *
 * State: whether a card lies on the reader (and which), whether it has been
 * found, selected and read during this placement, whether the SAM passes its
 * self-test, and how the reader behaves after a read:
 * - `rereads`: find keeps answering 9F while the card stays;
 * - `reads-once`: after a successful read, find answers 80 until the card is
 *   removed and placed again (spec §3.1 first row, kiosk notes §1.1).
 */
import { encodeBaseMessageReply } from "../protocol/base-message-encoder.ts";
import { encodeUcs2Field } from "../protocol/card-text-encoder.ts";
import {
  APPENDED_ADDRESS_BYTES,
  BAUD_RATE_PARA,
  COMMANDS,
  FIND_CARD_DATA_BYTES,
  MAX_RF_BYTES_MAX,
  MAX_RF_BYTES_MIN,
  SAM_ID_BYTES,
  SELECT_CARD_DATA_BYTES,
  SET_BAUD_CMD,
  type CommandName,
} from "../protocol/constants.ts";
import { decodeFrame, encodeResponse, readRequest, type RequestView } from "../protocol/frame.ts";
import { SW3_CARD_FOUND, SW3_NO_CONTENT, SW3_OK } from "../protocol/status.ts";

/** A card as the simulated chip holds it. */
export interface SimulatedCard {
  /** The 256-byte text section (see `encodeCardText`). */
  readonly text: Uint8Array;
  /** The 1024-byte photo field (see `padPhoto`). */
  readonly photo: Uint8Array;
  /** Fingerprint templates returned by `30 10`: 0, 512 or 1024 bytes. */
  readonly fingerprint: Uint8Array;
  /** The newest appended address (`30 03`), if the card has one. */
  readonly appendedAddress?: string;
}

/** How the simulated reader answers find after a read. */
export type SimulatedRereadBehaviour = "rereads" | "reads-once";

/** Options of {@linkcode ReaderResponder}. */
export interface ReaderResponderOptions {
  /** The card the simulator holds; placed on the reader at start unless `cardPresent` is false. */
  readonly card?: SimulatedCard;
  /** Whether `card` lies on the reader at start; default true when a card is given. */
  readonly cardPresent?: boolean;
  /** Default `rereads`. */
  readonly rereadBehaviour?: SimulatedRereadBehaviour;
  /** Whether the SAM passes its self-test; default true. */
  readonly samOk?: boolean;
  /** The 16-byte SAM ID returned by `12 FF`; default a fixed made-up ID. */
  readonly samId?: Uint8Array;
}

/** Names of the commands the simulator knows: those of `COMMANDS` plus the baud-rate command (spec §3). */
export type SimulatedCommand = CommandName | "setBaud";

// SAM statuses the simulator answers with (spec §4).
const SW3_HOST_CHECKSUM = 0x10;
const SW3_HOST_LENGTH = 0x11;
const SW3_COMMAND_ERROR = 0x21;
const SW3_UNAUTHORISED = 0x23;
const SW3_READ_FAILED = 0x41;
const SW3_SAM_SELF_TEST_FAILED = 0x60;
const SW3_FIND_FAILED = 0x80;
const SW3_SELECT_FAILED = 0x81;
// SW1 SW2 are 00 00 on every reply the simulator sends (spec §2).
const SW_CLEAR = 0x00;
// A made-up SAM ID: 16 bytes, five little-endian fields (spec §5.4).
const DEFAULT_SAM_ID = Uint8Array.of(0x05, 0x00, 0x01, 0x00, 0x5b, 0x03, 0x33, 0x01, 0x15, 0xcd, 0x5b, 0x07, 0x00, 0x00, 0x00, 0x00);

/** The command a request names, or `undefined` for codes the simulator does not know. */
export function simulatedCommandOf(request: Pick<RequestView, "cmd" | "para">): SimulatedCommand | undefined {
  if (request.cmd === SET_BAUD_CMD) return "setBaud";
  for (const [name, code] of Object.entries(COMMANDS)) {
    if (code.cmd === request.cmd && code.para === request.para) return name as CommandName;
  }
  return undefined;
}

interface Placement {
  readonly card: SimulatedCard;
  found: boolean;
  selected: boolean;
  read: boolean;
}

/**
 * A simulated SAM reader.
 *
 * @example
 * ```ts
 * const reader = new ReaderResponder({ card });
 * reader.respond(encodeCommand(COMMANDS.findCard)); // AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97
 * ```
 */
export class ReaderResponder {
  #card: SimulatedCard | undefined;
  #placement: Placement | undefined;
  #samOk: boolean;
  /** The card is lifted while the next base read runs (a person pulling it away mid-read). */
  #liftDuringRead = false;
  readonly #behaviour: SimulatedRereadBehaviour;
  readonly #samId: Uint8Array;

  /** @throws {RangeError} when `samId` is not 16 bytes. */
  constructor(options: ReaderResponderOptions = {}) {
    this.#card = options.card;
    this.#samOk = options.samOk ?? true;
    this.#behaviour = options.rereadBehaviour ?? "rereads";
    const samId = options.samId ?? DEFAULT_SAM_ID;
    if (samId.length !== SAM_ID_BYTES) throw new RangeError(`Invalid SAM ID of "${samId.length}" bytes: expected ${SAM_ID_BYTES}`);
    this.#samId = samId;
    if (options.card && (options.cardPresent ?? true)) this.#placement = newPlacement(options.card);
  }

  /** Whether a card lies on the reader. */
  get cardPresent(): boolean {
    return this.#placement !== undefined;
  }

  /** Whether the SAM passes its self-test. */
  get samOk(): boolean {
    return this.#samOk;
  }

  /** How the reader answers find after a read. */
  get rereadBehaviour(): SimulatedRereadBehaviour {
    return this.#behaviour;
  }

  /**
   * Places a card on the reader: `card`, or the one held before. A card
   * already there is lifted first, so this is always a new placement.
   *
   * @throws {Error} when no card was ever given.
   */
  insertCard(card?: SimulatedCard): void {
    const next = card ?? this.#card;
    if (!next) throw new Error("Cannot insert a card: the simulator holds none; pass one");
    this.#card = next;
    this.#placement = newPlacement(next);
  }

  /** Lifts the card off the reader; nothing happens when none lies there. */
  removeCard(): void {
    this.#placement = undefined;
  }

  /**
   * The card read next (the one on the reader, or the next one placed) is
   * lifted while its base read runs: that read fails (SW3 41) and the card
   * is gone, as when a person pulls it away mid-read.
   */
  liftCardDuringNextRead(): void {
    this.#liftDuringRead = true;
  }

  /** Makes the SAM pass (`true`) or fail (`false`, SW3 60 to every command) its self-test. */
  setSamOk(ok: boolean): void {
    this.#samOk = ok;
  }

  /**
   * Answers one request frame. Bytes that are not a whole valid frame get
   * the SAM's own complaint: SW3 10 for a wrong checksum, 11 for a wrong
   * length (spec §4).
   */
  respond(request: Uint8Array): Uint8Array {
    const decoded = decodeFrame(request);
    if (!decoded.ok) return this.respondToDamagedRequest(decoded.reason === "bad-checksum" ? "bad-checksum" : "bad-length");
    return this.#answer(readRequest(decoded.frame));
  }

  /** The reply to a request the deframer rejected (spec §4: 10 checksum, 11 length). */
  respondToDamagedRequest(reason: "bad-checksum" | "bad-length"): Uint8Array {
    return status(reason === "bad-checksum" ? SW3_HOST_CHECKSUM : SW3_HOST_LENGTH);
  }

  #answer(request: RequestView): Uint8Array {
    const command = simulatedCommandOf(request);
    if (command === undefined) return status(SW3_COMMAND_ERROR);
    // Spec §4: SW3 60 — "SAM self-test failed, cannot accept commands".
    if (!this.#samOk && command !== "resetSam") return status(SW3_SAM_SELF_TEST_FAILED);
    const placement = this.#placement;
    switch (command) {
      case "resetSam":
      case "samStatus":
        return status(this.#samOk ? SW3_OK : SW3_SAM_SELF_TEST_FAILED);
      case "readSamId":
        return encodeResponse(SW_CLEAR, SW_CLEAR, SW3_OK, this.#samId);
      case "setBaud":
        return status(Object.values(BAUD_RATE_PARA).includes(request.para as never) ? SW3_OK : SW3_COMMAND_ERROR);
      case "setMaxRfBytes": {
        const n = request.data[0];
        return status(request.data.length === 1 && n !== undefined && n >= MAX_RF_BYTES_MIN && n <= MAX_RF_BYTES_MAX ? SW3_OK : SW3_COMMAND_ERROR);
      }
      case "findCard":
        if (!placement) return status(SW3_FIND_FAILED);
        if (placement.read && this.#behaviour === "reads-once") return status(SW3_FIND_FAILED);
        placement.found = true;
        placement.selected = false;
        return encodeResponse(SW_CLEAR, SW_CLEAR, SW3_CARD_FOUND, new Uint8Array(FIND_CARD_DATA_BYTES));
      case "selectCard":
        if (!placement?.found) return status(SW3_SELECT_FAILED);
        placement.selected = true;
        return encodeResponse(SW_CLEAR, SW_CLEAR, SW3_OK, new Uint8Array(SELECT_CARD_DATA_BYTES));
      case "readBase":
      case "readBaseWithFingerprint": {
        if (!placement) return status(SW3_READ_FAILED);
        if (!placement.selected) return status(SW3_UNAUTHORISED);
        if (this.#liftDuringRead) {
          this.#liftDuringRead = false;
          this.removeCard();
          return status(SW3_READ_FAILED);
        }
        // One read per find–select, as on a real SAM.
        placement.selected = false;
        placement.found = false;
        placement.read = true;
        const { card } = placement;
        return command === "readBase"
          ? encodeBaseMessageReply({ text: card.text, photo: card.photo }, "base")
          : encodeBaseMessageReply({ text: card.text, photo: card.photo, fingerprint: card.fingerprint }, "base-fingerprint");
      }
      case "readAppendedAddress": {
        if (!placement) return status(SW3_READ_FAILED);
        // Spec §3.1: right after the base read without re-authentication, or after find + select.
        if (!placement.read && !placement.selected) return status(SW3_UNAUTHORISED);
        const address = placement.card.appendedAddress;
        if (address === undefined) return status(SW3_NO_CONTENT);
        return encodeResponse(SW_CLEAR, SW_CLEAR, SW3_OK, encodeUcs2Field(address, APPENDED_ADDRESS_BYTES, "appendedAddress"));
      }
    }
  }
}

function newPlacement(card: SimulatedCard): Placement {
  return { card, found: false, selected: false, read: false };
}

// A short reply: SW1 SW2 SW3 and no data (always 11 bytes, spec §2).
function status(sw3: number): Uint8Array {
  return encodeResponse(SW_CLEAR, SW_CLEAR, sw3);
}
