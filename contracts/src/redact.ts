/**
 * The redaction rule applied to every log record. It makes it impossible to
 * log a person's ID number, name, address, photo or face descriptor, whether
 * they appear under a telling key, inside free text, or as raw bytes.
 *
 * The rule is deliberately over-eager: a log line that loses a harmless value
 * is fine, a log line that leaks an ID number is not.
 */

/** Placeholder written instead of a value held under a personal key. */
export const REDACTED = "[redacted]";

// Keys are compared after lower-casing and dropping every non-alphanumeric
// character, so `id_number`, `idNumber` and `ID-Number` all match.
const PERSONAL_KEYS = new Set([
  "name", "namezh", "nameen", "fullname", "surname", "givenname", "holder", "holdername",
  "idnumber", "idno", "idcard", "cardnumber", "certno", "certificatenumber", "passnumber",
  "passportnumber", "documentnumber", "oldnumber", "address", "newaddress", "birthdate",
  "dateofbirth", "dob", "birth", "phone", "mobile", "photo", "chipphoto", "livephoto", "portrait",
  "image", "frame", "frames", "jpeg", "png", "webp", "wlt", "rgb", "pixels", "descriptor",
  "descriptors", "embedding", "embeddings", "face", "faces", "template", "fingerprint", "signature",
  "handwriting", "text", "rawtext", "payload", "card",
]);

// Keys that end in "name" but name things, not people.
const NAME_KEY_ALLOWLIST = new Set([
  "hostname", "filename", "pathname", "servicename", "devicename", "portname", "modelname",
  "eventname", "tablename", "commandname", "screenname", "elementname", "backendname",
]);

/** True when a value stored under `key` must never be logged. */
export function isPersonalKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (PERSONAL_KEYS.has(k)) return true;
  return k.endsWith("name") && !NAME_KEY_ALLOWLIST.has(k);
}

// Patterns masked inside any string (messages, field values, error texts).
const TEXT_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // Resident ID numbers (GB 11643, 15 or 18 characters) and any similar digit run.
  [/(?<![0-9])[0-9]{14,17}[0-9Xx](?![0-9A-Za-z])/g, "[id-number]"],
  // 2017 foreign permanent-resident card numbers: 3-letter country code + 12 digits.
  [/(?<![A-Za-z])[A-Z]{3}[0-9]{12}(?![0-9])/g, "[id-number]"],
  // Mainland travel permits for HK/Macau residents (H/M + 8 to 10 digits).
  [/(?<![A-Za-z0-9])[HMhm][0-9]{8,10}(?![0-9])/g, "[id-number]"],
  // Han characters: names, addresses and issuing authorities are written in them.
  [/[\p{Script=Han}·]+/gu, "[han]"],
  // Hex dumps long enough to hold a card frame or a name in UCS-2.
  [/(?:[0-9A-Fa-f]{2}[\s:]?){32,}/g, "[hex]"],
  // Base64 blobs long enough to be a photo.
  [/[A-Za-z0-9+/_-]{160,}={0,2}/g, "[blob]"],
];

/** Masks personal data that may be hidden in free text. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 6;
// Arrays of this many numbers or more are treated as face descriptors.
const VECTOR_MIN_LENGTH = 32;

/**
 * Returns a copy of `value` that is safe to log: personal keys are replaced
 * by {@linkcode REDACTED}, strings are passed through {@linkcode redactText},
 * binary data and numeric vectors are reduced to their length.
 */
export function redactForLog(value: unknown): unknown {
  return redactValue(value, 0, new WeakSet());
}

function redactValue(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return redactText(value.toString());
  if (value === null || typeof value !== "object") {
    return typeof value === "function" || typeof value === "symbol" ? `[${typeof value}]` : value;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    return { redacted: "binary", bytes: value.byteLength };
  }
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[too-deep]";
  seen.add(value);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (Array.isArray(value)) {
    if (value.length >= VECTOR_MIN_LENGTH && value.every((v) => typeof v === "number")) {
      return { redacted: "vector", length: value.length };
    }
    return value.map((v) => redactValue(v, depth + 1, seen));
  }
  if (value instanceof Map) return redactEntries([...value.entries()].map(([k, v]) => [String(k), v]), depth, seen);
  if (value instanceof Set) return [...value].map((v) => redactValue(v, depth + 1, seen));
  return redactEntries(Object.entries(value), depth, seen);
}

function redactEntries(entries: Array<[string, unknown]>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of entries) {
    out[redactText(key)] = isPersonalKey(key) ? REDACTED : redactValue(v, depth + 1, seen);
  }
  return out;
}

function redactError(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = { name: error.name, message: redactText(error.message) };
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" || typeof code === "number") out["code"] = code;
  if (error.stack) out["stack"] = redactText(error.stack);
  if (error.cause !== undefined) out["cause"] = redactValue(error.cause, depth + 1, seen);
  return out;
}
