/**
 * What the demo camera plays, as a pure state machine: who stands in front of
 * it (a cardholder, another person, a printed photo, nobody) and which clip
 * of their replay sequences runs now. `adapters/demo-camera.ts` plays the
 * clips; this file only decides which.
 *
 * Sequences folder layout: `<person>/<kind>/frame-0001.jpg…`, where
 * `person` is a card id (the card file's stem), `other` (someone who holds no
 * demo card) or `nobody` (an empty scene, `still` only), and `kind` is one of
 * {@linkcode DEMO_CLIP_KINDS}.
 */
import { fileURLToPath } from "node:url";

/** The demo camera sequences shipped with the device package (see its README). */
export const DEMO_CAMERA_DIR = fileURLToPath(new URL("./demo-sequences/", import.meta.url));

/** Actions a replayed person performs when the kiosk's liveness challenge asks. */
export const DEMO_CAMERA_ACTIONS = ["blink", "turn-left", "turn-right"] as const;

/** One of {@linkcode DEMO_CAMERA_ACTIONS}. */
export type DemoCameraAction = (typeof DEMO_CAMERA_ACTIONS)[number];

/** Clip kinds of a person: `still` loops, the actions play once. */
export const DEMO_CLIP_KINDS = ["still", ...DEMO_CAMERA_ACTIONS] as const;

/** One of {@linkcode DEMO_CLIP_KINDS}. */
export type DemoClipKind = (typeof DEMO_CLIP_KINDS)[number];

/** The person folder of someone who holds no demo card. */
export const DEMO_OTHER_PERSON = "other";

/** The person folder of the empty scene. */
export const DEMO_NOBODY = "nobody";

/** A clip to play: `loop` for `still`, once for an action. */
export interface DemoClip {
  readonly person: string;
  readonly kind: DemoClipKind;
  readonly loop: boolean;
}

/** Who stands in front of the camera: a person folder, or `nobody`. */
export type DemoSubject = string;

/** Options of {@linkcode DemoCameraScript.show}. */
export interface DemoShowOptions {
  /** The person's `still` held up as a photo: it never performs. */
  readonly printedPhoto?: boolean;
}

const still = (person: string): DemoClip => ({ person, kind: "still", loop: true });

/**
 * Decides the clip the demo camera plays.
 *
 * @example
 * ```ts
 * const script = new DemoCameraScript(["resident-zhou-mingyuan", "other", "nobody"]);
 * script.show("resident-zhou-mingyuan"); // { person: "resident-zhou-mingyuan", kind: "still", loop: true }
 * script.perform("blink");                // { …, kind: "blink", loop: false }
 * script.clipEnded();                     // back to "still"
 * ```
 */
export class DemoCameraScript {
  readonly #people: ReadonlySet<string>;
  #clip: DemoClip = still(DEMO_NOBODY);
  #printedPhoto = false;
  // An action asked for while another plays: it plays next.
  #pending: DemoCameraAction | undefined;

  /**
   * @param people the person folders present (must include `nobody`).
   * @throws {RangeError} when `nobody` is missing.
   */
  constructor(people: Iterable<string>) {
    this.#people = new Set(people);
    if (!this.#people.has(DEMO_NOBODY)) throw new RangeError(`The demo camera sequences lack "${DEMO_NOBODY}": an empty scene is needed`);
  }

  /** The clip playing now. */
  get clip(): DemoClip {
    return this.#clip;
  }

  /** Whether `person` has sequences. */
  has(person: string): boolean {
    return this.#people.has(person);
  }

  /**
   * Puts `person` in front of the camera (its `still` loops). A person
   * without sequences shows the empty scene.
   */
  show(person: DemoSubject, options: DemoShowOptions = {}): DemoClip {
    const present = this.#people.has(person) ? person : DEMO_NOBODY;
    this.#printedPhoto = options.printedPhoto === true;
    this.#pending = undefined;
    this.#clip = still(present);
    return this.#clip;
  }

  /**
   * The person performs `action` once, then returns to `still`. Returns the
   * clip to play now, or `undefined` when nothing changes now: nobody is
   * there or a printed photo cannot move (the action is dropped), or another
   * action is playing (this one plays after it).
   */
  perform(action: DemoCameraAction): DemoClip | undefined {
    const { person, kind } = this.#clip;
    if (person === DEMO_NOBODY || this.#printedPhoto) return undefined;
    if (kind !== "still") {
      this.#pending = action;
      return undefined;
    }
    this.#clip = { person, kind: action, loop: false };
    return this.#clip;
  }

  /** A clip that plays once ended: the pending action, else the person's `still`. */
  clipEnded(): DemoClip {
    const next = this.#pending;
    this.#pending = undefined;
    this.#clip = next === undefined ? still(this.#clip.person) : { person: this.#clip.person, kind: next, loop: false };
    return this.#clip;
  }
}
