/**
 * What the ID-card reader session tells its users: the typed event map, the
 * reader-error codes, and a small event hub whose subscriptions are keyed by
 * owner, so a service can drop all of its subscriptions in its own `stop()`
 * (STYLE §1.12).
 */
import type { Logger } from "@kiosk/contracts";
import type { IdentityRecord } from "./protocol/identity.ts";
import type { SamStatus } from "./protocol/status.ts";

/**
 * States of the reader session, as the UI shows them.
 *
 * `awaiting-removal` is the "remove and re-place your card" state: the card
 * must leave the reader's field before it can be read again, either because
 * a read failed (spec §3.1: "after any read error remove and re-place the
 * card") or because the reader hides a card after reading it once (spec §3.1,
 * first row; kiosk notes §1.1 "Read quirk").
 */
export const READER_STATES = {
  "stopped": "not started, or stopped",
  "connecting": "opening the device, or reconnecting after it went away",
  "sam-error": "the device answers but its security module failed its self-test or is not authorised",
  "waiting-for-card": "polling for a card; none on the reader",
  "reading": "a card was found and is being read",
  "card-present": "the card was read and is still on the reader",
  "awaiting-removal": "the card must be lifted (and placed again) before it can be read",
} as const;

/** One of {@linkcode READER_STATES}. */
export type ReaderState = keyof typeof READER_STATES;

/** Codes of `reader-error` events; `retryable` is the default of each code. */
export const READER_ERROR_CODES = {
  /** The device cannot be opened, or went away; the session keeps reconnecting. */
  "device-unavailable": { retryable: true, meaning: "the reader cannot be opened or went away" },
  /** Commands got no complete reply within their timeout, repeatedly. */
  "no-response": { retryable: true, meaning: "the reader did not answer in time" },
  /** Replies arrived damaged (bad checksum, bad length) or did not fit the command. */
  "bad-reply": { retryable: true, meaning: "the reader's reply was damaged or malformed" },
  /** The card could not be selected or read (moved during the read, authentication failed, …). */
  "card-read-failed": { retryable: true, meaning: "the card could not be read; remove it and place it again" },
  /** The card was read but its content could not be parsed (unknown layout, bad date, bad sex code). */
  "card-unreadable": { retryable: false, meaning: "the card's content could not be parsed" },
  /** The security module failed its self-test or is not authorised (SW3 60 / 66). */
  "sam-failed": { retryable: false, meaning: "the reader's security module is not working" },
  /**
   * The session failed in a way no device error explains (a software fault, or a
   * driver that threw something unexpected); the session closes the device and
   * restarts with back-off.
   */
  "reader-fault": { retryable: true, meaning: "the reader session failed unexpectedly and restarts by itself" },
} as const satisfies Record<string, { retryable: boolean; meaning: string }>;

/** One of {@linkcode READER_ERROR_CODES}. */
export type ReaderErrorCode = keyof typeof READER_ERROR_CODES;

/** Why the session reported `card-removed`. */
export const CARD_REMOVED_REASONS = {
  /** Find stopped seeing the card (reader that reports presence). */
  "removed": "find no longer sees the card",
  /**
   * A card was found again after the reader could not see the previous one:
   * it must have left the field in between (reader that reads once).
   */
  "replaced": "a card was found again after the previous one was hidden",
  /** The device went away while a card was on it. */
  "reader-disconnected": "the reader went away",
} as const;

/** One of {@linkcode CARD_REMOVED_REASONS}. */
export type CardRemovedReason = keyof typeof CARD_REMOVED_REASONS;

/** Why the session asks for the card to be lifted and placed again. */
export const REREAD_REASONS = {
  /** Reading failed after the bounded retries; spec §3.1 asks for removal before a new attempt. */
  "read-failed": "the read failed; lift the card and place it again",
  /**
   * The card was read and the reader no longer reports it (spec §3.1 first
   * row): it cannot be read again until it is lifted and placed again.
   * Show the prompt only when another read is needed.
   */
  "hidden-after-read": "the reader reads a card once; lift it and place it again to read it again",
} as const;

/** One of {@linkcode REREAD_REASONS}. */
export type RereadReason = keyof typeof REREAD_REASONS;

/** Payload of `reader-error`. Messages never quote card content. */
export interface ReaderErrorEvent {
  readonly code: ReaderErrorCode;
  readonly message: string;
  /** `true` when the session itself keeps trying or a re-placed card can succeed. */
  readonly retryable: boolean;
  /** The SAM status that caused it, when a reply carried one (spec §4). */
  readonly status?: SamStatus;
  /** Clock time, epoch ms. */
  readonly atMs: number;
}

/** Payload of `card-read`. */
export interface CardReadEvent {
  /** The parsed card; `identity.photo.bytes` are the raw photo bytes (WLT from a real reader). */
  readonly identity: IdentityRecord;
  /** The raw 1024-byte photo field, undecoded (spec §8); the same bytes as `identity.photo.bytes`. */
  readonly photo: Uint8Array;
  /** The newest appended address (`30 03`, spec §5.3) when the option is on and the card has one. */
  readonly appendedAddress?: string;
  /** Clock time when the find that saw the card was sent, epoch ms. */
  readonly foundAtMs: number;
  /** Clock time when the card was parsed, epoch ms. */
  readonly atMs: number;
}

/** Every event of the reader session and its payload. */
export interface ReaderEventMap {
  /** The device is open and answers (SAM status 90, spec §3); emitted after each (re)connection. */
  "reader-ready": { readonly description: string; readonly atMs: number };
  /** A card appeared on the reader (find answered 9F). */
  "card-inserted": { readonly atMs: number };
  /** The card was read and parsed. */
  "card-read": CardReadEvent;
  /** The card left the reader, or the reader went away with a card on it. */
  "card-removed": { readonly reason: CardRemovedReason; readonly atMs: number };
  /** The UI should show "remove and re-place your card" (state `awaiting-removal`). */
  "card-reread-required": { readonly reason: RereadReason; readonly atMs: number };
  /** Something failed; see {@linkcode READER_ERROR_CODES}. */
  "reader-error": ReaderErrorEvent;
  /** The device has been unavailable for `deviceLostAfterMs`; emitted once per outage. */
  "device-lost": { readonly unavailableForMs: number; readonly lastError?: { readonly code: string; readonly message: string }; readonly atMs: number };
  /** The session state changed. */
  "state-changed": { readonly state: ReaderState; readonly previous: ReaderState; readonly atMs: number };
}

/** Name of a reader event. */
export type ReaderEventName = keyof ReaderEventMap;

/** Anything that identifies a subscriber: the subscribing service object or a name. */
export type EventOwner = object | string;

type AnyListener = (payload: never) => void;

/**
 * A typed event hub. Each subscription belongs to an owner;
 * {@linkcode TypedEvents.off} removes every subscription of one owner.
 * A listener that throws is logged and does not stop the others.
 *
 * @example
 * ```ts
 * reader.events.on(this, "card-read", (e) => this.#onCard(e.identity));
 * // in this service's stop():
 * reader.events.off(this);
 * ```
 */
export class TypedEvents<M extends object> {
  readonly #byOwner = new Map<EventOwner, Map<keyof M, Set<AnyListener>>>();
  readonly #log: Logger;

  /** @param log where listener failures are reported. */
  constructor(log: Logger) {
    this.#log = log;
  }

  /**
   * Subscribes `listener` to `event` on behalf of `owner`.
   *
   * @returns a function that removes this one subscription.
   */
  on<K extends keyof M>(owner: EventOwner, event: K, listener: (payload: M[K]) => void): () => void {
    let byEvent = this.#byOwner.get(owner);
    if (!byEvent) {
      byEvent = new Map();
      this.#byOwner.set(owner, byEvent);
    }
    let set = byEvent.get(event);
    if (!set) {
      set = new Set();
      byEvent.set(event, set);
    }
    // A wrapper, so the same function subscribed twice gives two independent subscriptions.
    const own: AnyListener = (payload: never) => listener(payload as M[K]);
    set.add(own);
    return () => {
      set.delete(own);
    };
  }

  /** Removes every subscription of `owner`. */
  off(owner: EventOwner): void {
    this.#byOwner.delete(owner);
  }

  /** Number of subscriptions, of one owner or of all. */
  listenerCount(owner?: EventOwner): number {
    const owners = owner === undefined ? [...this.#byOwner.values()] : [this.#byOwner.get(owner)].filter((m) => m !== undefined);
    let count = 0;
    for (const byEvent of owners) for (const set of byEvent.values()) count += set.size;
    return count;
  }

  /** Calls every listener of `event`, in subscription order per owner. */
  emit<K extends keyof M>(event: K, payload: M[K]): void {
    for (const byEvent of [...this.#byOwner.values()]) {
      const set = byEvent.get(event);
      if (!set) continue;
      for (const listener of [...set]) {
        try {
          (listener as (payload: M[K]) => void)(payload);
        } catch (error) {
          this.#log.error(`A "${String(event)}" listener failed`, { error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  }
}
