/**
 * Capture sessions for `./kiosk face eval --sessions K`: one session is one
 * chip photo against K live photos, scored by the capture's match rule as
 * the kiosk scores K camera frames.
 *
 * - Genuine: each chip photo with genuine pairs in the list, against K of
 *   the live photos it is paired with as the same person (never its own
 *   photo). When the list holds fewer than K of them, they are repeated up
 *   to K: a repeat stands for a near-identical frame and adds nothing to the
 *   score, so the session is scored on fewer distinct photos (counted as
 *   `genuineRepeated`).
 * - Impostor: each chip photo of the list against K live photos of every
 *   other identity in the list that has at least K of them. Identities with
 *   fewer are left out as the live side (an impostor with fewer frames would
 *   get fewer tries than the rule gives).
 *
 * A person's identity is the folder holding their image. Chips and
 * identities are taken in sorted order and the K photos of each session are
 * the first K of a shuffle drawn from one generator seeded with `seed`, so
 * one list, K and seed always give the same sessions.
 */
import { seededRandom } from "@kiosk/contracts";
import { basename, dirname } from "node:path";
import type { FacePair } from "./face-eval.ts";

/** One chip photo against K live photos. */
export interface FaceSession {
  readonly chip: string;
  /** Exactly K live paths of one identity. */
  readonly live: readonly string[];
  readonly same: boolean;
}

/** The sessions of a pairs list, with what had to be repeated or left out. */
export interface SessionPlan {
  readonly sessions: readonly FaceSession[];
  /** Genuine sessions whose chip has fewer than K genuine live photos, repeated up to K. */
  readonly genuineRepeated: number;
  /** Identities with fewer than K live photos, never the live side of an impostor session. */
  readonly identitiesTooFewPhotos: number;
}

/** The identity of an image: the folder holding it. */
export function identityOf(path: string): string {
  return basename(dirname(path));
}

/**
 * Forms the sessions of `pairs` with `k` live photos each (see the module
 * comment).
 *
 * @throws {RangeError} when `k` is not a whole number of at least 1.
 */
export function formSessions(pairs: readonly FacePair[], k: number, seed: number): SessionPlan {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`Invalid session size "${k}": expected a whole number of at least 1`);
  const random = seededRandom(seed);
  const draw = (paths: readonly string[]): string[] => {
    const order = [...paths];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as string, order[i] as string];
    }
    return Array.from({ length: k }, (_, i) => order[i % order.length] as string);
  };

  const partners = new Map<string, Set<string>>();
  const liveOf = new Map<string, Set<string>>();
  for (const pair of pairs) {
    if (!partners.has(pair.chip)) partners.set(pair.chip, new Set());
    if (pair.same) partners.get(pair.chip)?.add(pair.live);
    const id = identityOf(pair.live);
    if (!liveOf.has(id)) liveOf.set(id, new Set());
    liveOf.get(id)?.add(pair.live);
  }
  const chips = [...partners.keys()].sort();
  const identities = [...liveOf.keys()].sort();
  const eligible = identities.filter((id) => (liveOf.get(id)?.size ?? 0) >= k);

  const sessions: FaceSession[] = [];
  let genuineRepeated = 0;
  for (const chip of chips) {
    const own = [...(partners.get(chip) ?? [])].sort();
    if (own.length === 0) continue;
    if (own.length < k) genuineRepeated++;
    sessions.push({ chip, live: draw(own), same: true });
  }
  for (const chip of chips) {
    const self = identityOf(chip);
    for (const id of eligible) {
      if (id === self) continue;
      sessions.push({ chip, live: draw([...(liveOf.get(id) ?? [])].sort()), same: false });
    }
  }
  return { sessions, genuineRepeated, identitiesTooFewPhotos: identities.length - eligible.length };
}
