/**
 * Body of a {@linkcode WorkerVerifier} thread: verifies packed Ed25519
 * signatures with node:crypto and posts back one byte per check.
 *
 * Message in: `{ id, keys: Uint8Array[], packed: ArrayBuffer, count }` where
 * each check is `[u8 key index][u32 message length][64-byte signature][message]`.
 * Message out: `{ id, results: Uint8Array }` (1 = valid) or `{ id, error }`.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 raw key bytes.
const SPKI_ED25519_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const SIGNATURE_BYTES = 64;
const MAX_CACHED_KEYS = 10_000;

const keys = new Map<string, KeyObject>();

function keyObject(raw: Uint8Array): KeyObject {
  const cacheKey = Buffer.from(raw).toString("base64");
  let key = keys.get(cacheKey);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = createPublicKey({ key: Buffer.concat([SPKI_ED25519_PREFIX, raw]), format: "der", type: "spki" });
    keys.set(cacheKey, key);
  }
  return key;
}

interface Job {
  readonly id: number;
  readonly keys: readonly Uint8Array[];
  readonly packed: ArrayBuffer;
  readonly count: number;
}

declare const self: { onmessage: ((event: MessageEvent<Job>) => void) | null; postMessage(message: unknown, transfer?: ArrayBuffer[]): void };

self.onmessage = (event) => {
  const { id, packed, count } = event.data;
  try {
    const objects = event.data.keys.map(keyObject);
    const bytes = new Uint8Array(packed);
    const view = new DataView(packed);
    const results = new Uint8Array(count);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const key = objects[view.getUint8(offset)];
      const length = view.getUint32(offset + 1);
      offset += 5;
      const signature = bytes.subarray(offset, offset + SIGNATURE_BYTES);
      offset += SIGNATURE_BYTES;
      const message = bytes.subarray(offset, offset + length);
      offset += length;
      let valid = false;
      try {
        valid = key !== undefined && verify(null, message, key, signature);
      } catch {
        valid = false;
      }
      results[i] = valid ? 1 : 0;
    }
    self.postMessage({ id, results }, [results.buffer]);
  } catch (error) {
    self.postMessage({ id, error: (error as Error).message });
  }
};
