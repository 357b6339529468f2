/**
 * The UI's typed DOM events: elements announce what the applicant did by
 * firing them; the app shell listens and sends it to the edge server.
 */
import type { ApplicantEvent, SignatureInput } from "@kiosk/contracts";

/** Detail types of every UI event, by name. */
export interface KsEventMap {
  /** The applicant touched a button that sends this event. */
  "ks-applicant-event": ApplicantEvent;
  /** The applicant signed and confirmed. */
  "ks-signature": SignatureInput;
}

declare global {
  interface HTMLElementEventMap {
    "ks-applicant-event": CustomEvent<KsEventMap["ks-applicant-event"]>;
    "ks-signature": CustomEvent<KsEventMap["ks-signature"]>;
  }
}

/** Fires a bubbling, composed event from `target`. */
export function fire<K extends keyof KsEventMap>(target: EventTarget, name: K, detail: KsEventMap[K]): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
