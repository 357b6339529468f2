import { KioskError, type Logger, type Service } from "@kiosk/contracts";
import type { SignatureCheck, SignatureVerifier } from "../ports.ts";

const SIGNATURE_BYTES = 64;
// Header of one packed check: key index (u8) and message length (u32).
const HEADER_BYTES = 5;
// Below this many checks a call stays on one worker: splitting costs more than it saves.
const MIN_CHECKS_PER_WORKER = 64;

interface Pending {
  readonly resolve: (results: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  readonly pending: Map<number, Pending>;
}

/**
 * {@linkcode SignatureVerifier} on a pool of worker threads, so record
 * verification (the largest cost of ingest) runs beside the request thread
 * and on every core. Checks are packed into one transferred buffer per
 * worker and call. A worker that crashes fails its pending calls (their
 * batches answer 500 and the kiosk retries) and is replaced.
 */
export class WorkerVerifier implements SignatureVerifier, Service {
  readonly name = "signature-workers";
  readonly #size: number;
  readonly #log: Logger;
  readonly #slots: Slot[] = [];
  #nextId = 1;
  #turn = 0;

  readonly #workerUrl: string;

  /**
   * @param options.workerUrl the worker module; tests substitute one that fails on purpose.
   * @throws {RangeError} when `size` is not a positive integer.
   */
  constructor(size: number, log: Logger, options: { workerUrl?: string } = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Invalid worker count "${size}": expected a positive integer`);
    this.#size = size;
    this.#log = log;
    this.#workerUrl = options.workerUrl ?? new URL("./verify-worker.ts", import.meta.url).href;
  }

  async start(): Promise<void> {
    while (this.#slots.length < this.#size) this.#slots.push(this.#spawn());
    this.#log.info("signature workers started", { workers: this.#size });
  }

  async stop(): Promise<void> {
    for (const slot of this.#slots.splice(0)) {
      slot.worker.terminate();
      for (const pending of slot.pending.values()) pending.reject(new KioskError("shutting-down", "Signature workers stopped"));
    }
  }

  async verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]> {
    if (this.#slots.length === 0) throw new KioskError("internal", "Signature workers are not started");
    if (checks.length === 0) return [];
    const parts = Math.max(1, Math.min(this.#slots.length, Math.floor(checks.length / MIN_CHECKS_PER_WORKER)));
    const per = Math.ceil(checks.length / parts);
    const chunks: Promise<Uint8Array>[] = [];
    for (let i = 0; i < checks.length; i += per) chunks.push(this.#run(checks.slice(i, i + per)));
    const results = await Promise.all(chunks);
    return results.flatMap((chunk) => Array.from(chunk, (byte) => byte === 1));
  }

  #spawn(): Slot {
    const slot = { pending: new Map<number, Pending>() } as Slot;
    slot.worker = this.#startWorker(slot);
    return slot;
  }

  // Starts a worker whose answers settle `slot`'s pending calls.
  #startWorker(slot: Slot): Worker {
    const worker = new Worker(this.#workerUrl);
    worker.onmessage = (event: MessageEvent<{ id: number; results?: Uint8Array; error?: string }>) => {
      const pending = slot.pending.get(event.data.id);
      if (!pending) return;
      slot.pending.delete(event.data.id);
      if (event.data.results) pending.resolve(event.data.results);
      else pending.reject(new KioskError("internal", `Signature worker failed: ${event.data.error ?? "no result"}`));
    };
    worker.onerror = (event) => {
      this.#log.error("signature worker crashed; replacing it", { message: event.message });
      for (const pending of slot.pending.values()) pending.reject(new KioskError("internal", `Signature worker crashed: ${event.message}`));
      slot.pending.clear();
      worker.terminate();
      if (this.#slots.includes(slot)) slot.worker = this.#startWorker(slot);
    };
    return worker;
  }

  #run(checks: readonly SignatureCheck[]): Promise<Uint8Array> {
    const keyIndex = new Map<string, number>();
    const keys: Uint8Array[] = [];
    let size = 0;
    for (const check of checks) size += HEADER_BYTES + SIGNATURE_BYTES + check.message.byteLength;
    const packed = new ArrayBuffer(size);
    const bytes = new Uint8Array(packed);
    const view = new DataView(packed);
    let offset = 0;
    const invalid = new Set<number>();
    checks.forEach((check, i) => {
      const keyText = Buffer.from(check.publicKey).toString("base64");
      let index = keyIndex.get(keyText);
      if (index === undefined) {
        index = keys.length;
        keyIndex.set(keyText, index);
        keys.push(check.publicKey.slice());
      }
      // More than 256 distinct keys in one call, or a malformed signature: invalid without asking the worker.
      if (index > 255 || check.signature.byteLength !== SIGNATURE_BYTES) invalid.add(i);
      view.setUint8(offset, Math.min(index, 255));
      view.setUint32(offset + 1, check.message.byteLength);
      offset += HEADER_BYTES;
      if (check.signature.byteLength === SIGNATURE_BYTES) bytes.set(check.signature, offset);
      offset += SIGNATURE_BYTES;
      bytes.set(check.message, offset);
      offset += check.message.byteLength;
    });
    const slot = this.#slots[this.#turn++ % this.#slots.length]!;
    const id = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      slot.pending.set(id, {
        resolve: (results) => {
          for (const i of invalid) results[i] = 0;
          resolve(results);
        },
        reject,
      });
      slot.worker.postMessage({ id, keys: keys.slice(0, 256), packed, count: checks.length }, [packed]);
    });
  }
}
