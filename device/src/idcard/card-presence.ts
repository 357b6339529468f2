/**
 * Card presence: what the reader session concludes about the card on the
 * reader from the answers to find (`20 01`, spec §3.1), and what it does next.
 * A pure state machine: the session feeds it inputs (a poll's result, a read's
 * outcome, the reader coming or going) with the clock time, and gets back
 * decisions in order (events to emit, states to enter, a read to run, the
 * device to reopen). It owns no timer and does no I/O.
 *
 * ## Card presence and the "reads once" quirk (spec §3.1 first row)
 *
 * Find is the only presence probe. Readers come in two kinds:
 * - **rereads**: find keeps answering 9F while a card lies on the reader,
 *   and 80 once it is lifted;
 * - **reads-once**: after a successful read, find answers 80 until the card
 *   leaves the field and comes back (kiosk notes §1.1 "Read quirk").
 *
 * On a reads-once reader 80 after a read says nothing about presence, so the
 * machine never turns it into `card-removed`: that would announce a removal
 * while the card still lies there. Instead it enters `awaiting-removal`
 * ("hidden-after-read") and asks for `card-reread-required`; the next 9F
 * proves the card left and came back (or a new card came), so it decides
 * `card-removed` (reason `replaced`) followed by `card-inserted` and a read.
 * On a rereads reader, `removalMisses` consecutive 80s after a read mean the
 * card was lifted (`card-removed`, reason `removed`), and 9F means it is still
 * there (state `card-present`, no second read). Counting misses debounces a
 * card shifted on the pad.
 *
 * With `rereadBehaviour: "auto"` the machine learns which kind it talks to:
 * after a read, a 9F on the next find can only come from a rereads reader (a
 * reads-once reader hides the card until it is re-placed, and a re-placement
 * within one poll interval is not humanly possible), so it remembers
 * "rereads". Until it has learned that, 80 after a read is treated the
 * reads-once way. The trade-off is deliberate: an unknown reader never
 * reports a false removal, at the cost of a late `card-removed` (when the
 * next card arrives) if the very first card is lifted within `removalMisses`
 * polls of being read. Configure `"rereads"` or `"reads-once"` when the model
 * is known.
 *
 * After a failed read the card must be lifted and placed again on both kinds
 * (spec §3.1): the machine enters `awaiting-removal` ("read-failed") and does
 * not read that placement again. A failed read that saw the card leave is a
 * removal on a reader known to report presence.
 *
 * ## Polls without an answer
 *
 * A find that got no valid answer after its retries is a failed poll. The
 * first of a run is reported; after `unresponsivePolls` in a row the device
 * is open but silent (a USB-serial bridge whose reader died, a wrong baud
 * rate), so the machine decides to reopen it, forgetting the card.
 */
import type { CardRemovedReason, ReaderState, RereadReason } from "./reader-events.ts";

/** How the reader answers find after a successful read; see the module documentation. */
export const REREAD_BEHAVIOURS = {
  "auto": "learn it: 9F on the first find after a read means rereads; until then assume reads-once",
  "rereads": "find answers 9F while the card stays on the reader",
  "reads-once": "find answers 80 after a read until the card is lifted and placed again",
} as const;

/** One of {@linkcode REREAD_BEHAVIOURS}. */
export type RereadBehaviour = keyof typeof REREAD_BEHAVIOURS;

/** The session states card presence decides: the reader is connected and its SAM works. */
export type PresenceState = Extract<ReaderState, "waiting-for-card" | "reading" | "card-present" | "awaiting-removal">;

/** What the session tells the machine, with the clock time (epoch ms) where it matters. */
export type PresenceInput =
  /** A session starts: any card from an earlier session is forgotten without an event. */
  | { readonly type: "session-started" }
  /** The reader answers, after (re)connecting or after its SAM recovered: polling starts. */
  | { readonly type: "reader-ready"; readonly atMs: number }
  /** A poll's find: 9F (`card`), 80 (`no-card`), or no valid answer after its retries (`failed`). */
  | { readonly type: "find"; readonly result: "card" | "no-card" | "failed"; readonly atMs: number }
  /** The read asked for by a `read-card` decision succeeded. */
  | { readonly type: "read-succeeded"; readonly atMs: number }
  /** The read failed after its retries; `cardGone` when a find during it saw no card. */
  | { readonly type: "read-failed"; readonly cardGone: boolean; readonly atMs: number }
  /** The connection is gone (lost, silent, or restarted after a fault): the card can no longer be seen. */
  | { readonly type: "disconnected"; readonly atMs: number }
  /**
   * The card already read is wanted again (an applicant placed it before the
   * kiosk asked for it): a rereads reader reads it on the next find that
   * sees it; a card hidden by the reader, or whose read failed, is asked to
   * be lifted and placed again.
   */
  | { readonly type: "read-requested"; readonly atMs: number };

/** What the machine decides, in the order the session must carry it out. */
export type PresenceDecision =
  /** Enter this session state. */
  | { readonly type: "enter"; readonly state: PresenceState }
  /** Emit `card-inserted`. */
  | { readonly type: "card-inserted"; readonly atMs: number }
  /** Emit `card-removed`. */
  | { readonly type: "card-removed"; readonly reason: CardRemovedReason; readonly atMs: number }
  /** Emit `card-reread-required`. */
  | { readonly type: "card-reread-required"; readonly reason: RereadReason; readonly atMs: number }
  /** Read the card now (find → select → read), then report `read-succeeded` or `read-failed`. */
  | { readonly type: "read-card" }
  /** `auto` mode has learned that the reader rereads (worth a log line). */
  | { readonly type: "learned-rereads" }
  /** The first failed poll of a run: report its error. */
  | { readonly type: "report-poll-failure" }
  /** `failedPolls` polls in a row got no answer: close the device and open it again. */
  | { readonly type: "reopen"; readonly failedPolls: number };

/** Options of {@linkcode CardPresence}. */
export interface CardPresenceOptions {
  readonly rereadBehaviour: RereadBehaviour;
  /** Consecutive "no card" finds that mean a card left the reader; a whole number, at least 1. */
  readonly removalMisses: number;
  /** Consecutive failed polls after which the device is reopened; a whole number, at least 1. */
  readonly unresponsivePolls: number;
}

/**
 * The card-presence state machine of one reader session.
 *
 * @example
 * ```ts
 * const presence = new CardPresence({ rereadBehaviour: "auto", removalMisses: 2, unresponsivePolls: 3 });
 * presence.step({ type: "reader-ready", atMs: clock.now() }); // [{ type: "enter", state: "waiting-for-card" }]
 * presence.step({ type: "find", result: "card", atMs: clock.now() });
 * // [{ type: "card-inserted", atMs }, { type: "enter", state: "reading" }, { type: "read-card" }]
 * ```
 */
export class CardPresence {
  readonly #o: CardPresenceOptions;
  #state: PresenceState = "waiting-for-card";
  #cardOnReader = false;
  #misses = 0;
  /** A reads-once reader hides the card: the next 9F means it left and came back. */
  #hidden = false;
  /** `auto` mode after a read: the next find tells which kind of reader this is. */
  #verifyAfterRead = false;
  #learnedRereads = false;
  #failedPolls = 0;
  /** A read of the card lying on the reader was asked for: the next find that sees it reads it. */
  #readRequested = false;

  /** @throws {RangeError} when `rereadBehaviour` is unknown or a count is not a whole number of at least 1. */
  constructor(options: CardPresenceOptions) {
    if (!Object.hasOwn(REREAD_BEHAVIOURS, options.rereadBehaviour)) {
      throw new RangeError(`Invalid rereadBehaviour "${String(options.rereadBehaviour)}": expected ${Object.keys(REREAD_BEHAVIOURS).join(", ")}`);
    }
    for (const key of ["removalMisses", "unresponsivePolls"] as const) {
      const value = options[key];
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`Invalid ${key} "${String(value)}": expected a whole number of at least 1`);
    }
    this.#o = { ...options };
  }

  /** The state the machine is in; the session shows it while connected and its SAM works. */
  get state(): PresenceState {
    return this.#state;
  }

  /** True once `auto` mode has seen the reader report a card again after reading it (or with `rereads`). */
  get rereadsKnown(): boolean {
    return this.#o.rereadBehaviour === "rereads" || (this.#o.rereadBehaviour === "auto" && this.#learnedRereads);
  }

  /** Feeds one input; returns the decisions it leads to, in order (often none). */
  step(input: PresenceInput): PresenceDecision[] {
    const out: PresenceDecision[] = [];
    switch (input.type) {
      case "session-started":
        this.#resetCard();
        this.#state = "waiting-for-card";
        break;
      case "reader-ready":
        this.#failedPolls = 0;
        // Still on the reader from before (the SAM failed meanwhile): it must be placed again.
        if (this.#cardOnReader) this.#awaitRemoval(out, "read-failed", false, input.atMs);
        else this.#enter(out, "waiting-for-card");
        break;
      case "find":
        this.#onFind(out, input.result, input.atMs);
        break;
      case "read-succeeded":
        this.#afterRead(out, input.atMs);
        break;
      case "read-failed":
        if (input.cardGone && this.rereadsKnown) this.#cardLeft(out, "removed", input.atMs);
        else this.#awaitRemoval(out, "read-failed", input.cardGone, input.atMs);
        break;
      case "disconnected":
        this.#forgetCard(out, input.atMs);
        break;
      case "read-requested":
        if (this.#state === "card-present") this.#readRequested = true;
        else if (this.#state === "awaiting-removal") out.push({ type: "card-reread-required", reason: this.#hidden ? "hidden-after-read" : "read-failed", atMs: input.atMs });
        break;
    }
    return out;
  }

  #onFind(out: PresenceDecision[], result: "card" | "no-card" | "failed", atMs: number): void {
    if (result === "failed") {
      this.#failedPolls++;
      if (this.#failedPolls === 1) out.push({ type: "report-poll-failure" });
      if (this.#failedPolls < this.#o.unresponsivePolls) return;
      this.#forgetCard(out, atMs);
      out.push({ type: "reopen", failedPolls: this.#failedPolls });
      return;
    }
    this.#failedPolls = 0;
    if (result === "card") {
      this.#misses = 0;
      switch (this.#state) {
        case "waiting-for-card":
          this.#cardFound(out, atMs);
          break;
        case "card-present":
          if (this.#verifyAfterRead) {
            this.#verifyAfterRead = false;
            this.#learnedRereads = true;
            out.push({ type: "learned-rereads" });
          }
          if (this.#readRequested) this.#cardFound(out, atMs);
          break;
        case "awaiting-removal":
          // Hidden and now found again: the card left the field in between.
          if (this.#hidden) {
            this.#cardLeft(out, "replaced", atMs);
            this.#cardFound(out, atMs);
          }
          break;
        case "reading":
          break;
      }
      return;
    }
    switch (this.#state) {
      case "card-present":
        if (++this.#misses < this.#o.removalMisses) break;
        if (this.#verifyAfterRead) {
          // Unknown reader: lifted, or hidden by a reads-once reader? Assume hidden.
          this.#verifyAfterRead = false;
          this.#awaitRemoval(out, "hidden-after-read", true, atMs);
        } else {
          this.#cardLeft(out, "removed", atMs);
        }
        break;
      case "awaiting-removal":
        if (++this.#misses < this.#o.removalMisses) break;
        if (this.rereadsKnown) this.#cardLeft(out, "removed", atMs);
        else this.#hidden = true;
        break;
      case "waiting-for-card":
      case "reading":
        break;
    }
  }

  #cardFound(out: PresenceDecision[], atMs: number): void {
    this.#readRequested = false;
    this.#cardOnReader = true;
    this.#misses = 0;
    this.#hidden = false;
    this.#verifyAfterRead = false;
    out.push({ type: "card-inserted", atMs });
    this.#enter(out, "reading");
    out.push({ type: "read-card" });
  }

  #afterRead(out: PresenceDecision[], atMs: number): void {
    const behaviour = this.#o.rereadBehaviour;
    if (behaviour === "reads-once") {
      this.#awaitRemoval(out, "hidden-after-read", true, atMs);
      return;
    }
    // Auto mode has to see the next find before it knows what 80 would mean.
    this.#verifyAfterRead = behaviour === "auto" && !this.#learnedRereads;
    this.#enter(out, "card-present");
  }

  #awaitRemoval(out: PresenceDecision[], reason: RereadReason, hidden: boolean, atMs: number): void {
    this.#hidden = hidden;
    this.#misses = 0;
    this.#enter(out, "awaiting-removal");
    out.push({ type: "card-reread-required", reason, atMs });
  }

  #cardLeft(out: PresenceDecision[], reason: CardRemovedReason, atMs: number): void {
    this.#resetCard();
    out.push({ type: "card-removed", reason, atMs });
    this.#enter(out, "waiting-for-card");
  }

  // The connection is gone: whatever lay on the reader can no longer be seen.
  // The session shows its connection state meanwhile, so no state is entered.
  #forgetCard(out: PresenceDecision[], atMs: number): void {
    if (this.#cardOnReader) out.push({ type: "card-removed", reason: "reader-disconnected", atMs });
    this.#resetCard();
    this.#state = "waiting-for-card";
  }

  #resetCard(): void {
    this.#readRequested = false;
    this.#cardOnReader = false;
    this.#misses = 0;
    this.#hidden = false;
    this.#verifyAfterRead = false;
  }

  // Always decided, even when the machine is in that state already: the
  // session may show another state meanwhile (connecting, sam-error).
  #enter(out: PresenceDecision[], state: PresenceState): void {
    this.#state = state;
    out.push({ type: "enter", state });
  }
}
