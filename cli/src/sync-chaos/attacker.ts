/**
 * The attacker of the chaos harness: sends forged, tampered and truncated
 * batches, records with bad signatures, and one kiosk's batch under another
 * kiosk's key, straight to central. Central must refuse every one of them;
 * any record it accepts is counted as a forgery accepted.
 */
import { batchRequestSchema, batchResponseSchema, generateSigner, KIOSK_REQUEST_HEADERS, type Prng, type UpstreamRecord } from "@kiosk/contracts";
import { TestKiosk, type SignedTestRequest } from "@kiosk/central/testing";
import type { CapturedBatch } from "./chaos-proxy.ts";

/** Kinds of attack. */
export const ATTACKS = ["forged-batch", "tampered-batch", "truncated-batch", "bad-record-signature", "foreign-key-replay"] as const;

/** One of {@linkcode ATTACKS}. */
export type Attack = (typeof ATTACKS)[number];

/** How an attack request fared. */
export interface AttackOutcome {
  readonly attack: Attack;
  readonly status: number;
  /** Records central answered `accepted`: each one is a forgery accepted. */
  readonly accepted: number;
  /** Event ids of records the attacker made up, to look for at central afterwards. */
  readonly forgedEventIds: readonly string[];
  /** True when the answer was neither the refusal nor the per-record rejection expected. */
  readonly unexpected: boolean;
}

/** Sends a request to a live central. */
export type SendToCentral = (request: CapturedBatch) => Promise<{ status: number; text: string }>;

function captured(kioskId: string, request: SignedTestRequest): CapturedBatch {
  return { kioskId, method: "POST", path: request.path, headers: request.init.headers, body: request.body };
}

function acceptedCount(status: number, text: string): number {
  if (status !== 200) return 0;
  const parsed = batchResponseSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data.results.filter((r) => r.status === "accepted").length : 0;
}

/** Makes and sends attacks. The attacker owns one registered kiosk key of its own (a compromised kiosk). */
export class Attacker {
  readonly #own: TestKiosk;
  readonly #random: Prng;
  readonly #send: SendToCentral;

  /** @param own the attacker's registered kiosk (its records may be spoiled freely). */
  constructor(own: TestKiosk, random: Prng, send: SendToCentral) {
    this.#own = own;
    this.#random = random;
    this.#send = send;
  }

  /**
   * Runs one attack against `victim` (a genuine kiosk id), using `sample`
   * (a genuine batch seen on the wire) when the attack needs one.
   */
  async run(attack: Attack, victim: string, sample: CapturedBatch | undefined): Promise<AttackOutcome> {
    switch (attack) {
      case "forged-batch":
        return this.#forged(victim);
      case "bad-record-signature":
        return this.#badSignatures();
      case "tampered-batch":
        return sample ? this.#tampered(sample) : this.#forged(victim);
      case "truncated-batch":
        return sample ? this.#expectRefused(attack, { ...sample, body: sample.body.slice(0, this.#random.int(1, sample.body.length - 1)) }, []) : this.#forged(victim);
      case "foreign-key-replay":
        return sample ? this.#foreign(sample) : this.#forged(victim);
    }
  }

  // Records and request signed by a key central does not know, in the victim's name.
  async #forged(victim: string): Promise<AttackOutcome> {
    const impostor = await TestKiosk.create(victim, { signer: await generateSigner() });
    const records = await impostor.records(this.#random.int(1, 20));
    const request = await impostor.batch(records, { gzip: true });
    return this.#expectRefused("forged-batch", captured(victim, request), records.map((r) => r.eventId));
  }

  // A genuine batch with one record's body changed; the signature headers are kept, or recomputed for the digest only.
  async #tampered(sample: CapturedBatch): Promise<AttackOutcome> {
    const batch = batchRequestSchema.parse(JSON.parse(new TextDecoder().decode(Bun.gunzipSync(sample.body as Uint8Array<ArrayBuffer>))));
    const index = this.#random.int(0, batch.records.length - 1);
    const victim = batch.records[index] as UpstreamRecord;
    const body = victim.body.replace(/"outcome":"[a-z-]+"/, '"outcome":"verified"').replace(/"similarity":[0-9.]+/, '"similarity":0.999');
    batch.records[index] = { ...victim, body: body === victim.body ? `${victim.body} ` : body };
    const altered = new Uint8Array(Bun.gzipSync(new TextEncoder().encode(JSON.stringify(batch))));
    const headers = { ...sample.headers };
    if (this.#random.chance(0.5)) {
      const digest = new Bun.CryptoHasher("sha256").update(altered).digest("hex");
      headers[KIOSK_REQUEST_HEADERS.contentSha256] = digest;
    }
    return this.#expectRefused("tampered-batch", { ...sample, headers, body: altered }, []);
  }

  // The victim's genuine batch sent by the attacker's own (registered) key: to the victim's path, or renamed to its own.
  async #foreign(sample: CapturedBatch): Promise<AttackOutcome> {
    const batch = batchRequestSchema.parse(JSON.parse(new TextDecoder().decode(Bun.gunzipSync(sample.body as Uint8Array<ArrayBuffer>))));
    if (this.#random.chance(0.5)) {
      const request = await this.#own.batch(batch.records, { gzip: true, asKioskId: batch.kioskId, json: JSON.stringify(batch) });
      return this.#expectRefused("foreign-key-replay", captured(batch.kioskId, request), []);
    }
    // Renamed to the attacker's kiosk: authenticated, so each record must be refused on its own (another kiosk's key).
    const records = batch.records.map((r, i) => ({ ...r, seq: this.#ownSeq(i) }));
    this.#advance(records.length);
    const request = await this.#own.batch(records, { gzip: true });
    return this.#expectAllRejected("foreign-key-replay", captured(this.#own.kioskId, request), []);
  }

  // The attacker's own authenticated batch whose records carry bad signatures or altered bodies.
  async #badSignatures(): Promise<AttackOutcome> {
    const records = await this.#own.records(this.#random.int(1, 10));
    const spoiled = records.map((r) => {
      if (this.#random.chance(0.5)) {
        const sig = r.signature;
        const flip = sig[5] === "A" ? "B" : "A";
        return { ...r, signature: `${sig.slice(0, 5)}${flip}${sig.slice(6)}` };
      }
      // Edited after signing; always a real change (a body without "verified" gets a trailing space).
      const edited = r.body.replace('"verified"', '"declined"');
      return { ...r, body: edited === r.body ? `${r.body} ` : edited };
    });
    const request = await this.#own.batch(spoiled, { gzip: true });
    return this.#expectAllRejected("bad-record-signature", captured(this.#own.kioskId, request), spoiled.map((r) => r.eventId));
  }

  #nextOwnSeq = 0;
  // Seqs of the attacker's kiosk used by renamed batches, far above the ones its TestKiosk hands out.
  #ownSeq(i: number): number {
    return 1_000_000 + this.#nextOwnSeq + i;
  }
  #advance(n: number): void {
    this.#nextOwnSeq += n;
  }

  async #expectRefused(attack: Attack, request: CapturedBatch, forgedEventIds: string[]): Promise<AttackOutcome> {
    const { status, text } = await this.#send(request);
    return { attack, status, accepted: acceptedCount(status, text), forgedEventIds, unexpected: status !== 401 };
  }

  async #expectAllRejected(attack: Attack, request: CapturedBatch, forgedEventIds: string[]): Promise<AttackOutcome> {
    const { status, text } = await this.#send(request);
    const accepted = acceptedCount(status, text);
    let unexpected = status !== 200;
    if (status === 200) {
      const parsed = batchResponseSchema.safeParse(JSON.parse(text));
      unexpected = !parsed.success || parsed.data.results.some((r) => r.status !== "rejected");
    }
    return { attack, status, accepted, forgedEventIds, unexpected };
  }
}
