/**
 * Error codes shared by every part of the kiosk, and the one `KioskError`
 * class that carries them.
 *
 * Expected outcomes (no card, face mismatch, bad frame) are values, not
 * errors. `KioskError` is for exceptional outcomes: an invalid config, a
 * device gone, central unreachable. Code that handles an error branches on
 * `code`, never on `message`.
 */

/** Facts about each error code: the HTTP status it maps to and whether retrying can help. */
export const ERROR_CODES = {
  /** A configuration value is missing or invalid; the service refuses to start. */
  "config-invalid": { status: 500, retryable: false },
  /** A request body, query or header does not match its schema. */
  "bad-request": { status: 400, retryable: false },
  /** The request's credentials (kiosk signature, API token) are missing or wrong. */
  "unauthorized": { status: 401, retryable: false },
  /** A request body is larger than the route accepts. */
  "payload-too-large": { status: 413, retryable: false },
  /** A request body has a content type the route does not accept. */
  "unsupported-media-type": { status: 415, retryable: false },
  /** No route or resource matches the request. */
  "not-found": { status: 404, retryable: false },
  /** The service is too busy to take the request now; retry later. */
  "overloaded": { status: 429, retryable: true },
  /** The service is stopping and no longer accepts work. */
  "shutting-down": { status: 503, retryable: true },
  /** Central could not be reached (network down, timeout, 5xx). */
  "central-unreachable": { status: 502, retryable: true },
  /** Central answered, but refused the request or gave a malformed reply. */
  "central-rejected": { status: 502, retryable: false },
  /** The kiosk UI got no answer from its own kiosk service in time (hung, stopped or unreachable). */
  "edge-unreachable": { status: 503, retryable: true },
  /** The kiosk service answered the UI with something that is not the expected reply. */
  "edge-bad-response": { status: 502, retryable: false },
  /** A hardware device is missing, unplugged or busy; the driver keeps trying to reconnect. */
  "device-unavailable": { status: 503, retryable: true },
  /** A database operation failed. */
  "store-failed": { status: 500, retryable: true },
  /** A required system program or package is missing. */
  "missing-dependency": { status: 500, retryable: false },
  /** A card photo cannot be decoded (corrupt, unsupported, or no licensed WLT decoder); reading the card again will not help. */
  "photo-undecodable": { status: 422, retryable: false },
  /** An unexpected failure; this is a bug. */
  "internal": { status: 500, retryable: false },
  /** The kiosk's local storage budget is exhausted: new results are refused (fail closed) until space returns. */
  "store-full": { status: 507, retryable: true },
  /** A signed kiosk request's timestamp is outside central's window: the kiosk clock is off; sign again with central's time. */
  "request-expired": { status: 401, retryable: true },
  /** A signed kiosk request's nonce was already used: a captured request sent again is refused. */
  "request-replayed": { status: 401, retryable: false },
  /** Central's TLS certificate does not verify with the CA (or certificate) the kiosk trusts: a wrong certificate or a machine in the middle. */
  "central-untrusted": { status: 502, retryable: false },
  /** The face engine did not answer a call within its deadline (`face.callTimeoutMs`); a stalled worker is replaced. */
  "face-engine-timeout": { status: 503, retryable: true },
  /** The face worker handling a call crashed or exited; it is replaced. */
  "face-engine-crashed": { status: 503, retryable: true },
  /** The caller aborted a face engine call (the capture ended or was cancelled). */
  "face-engine-aborted": { status: 503, retryable: false },
  /** A session request that does not fit the session's step (out of order, stale, for a finished attempt); nothing changed. */
  "session-rejected": { status: 409, retryable: false },
} as const satisfies Record<string, { status: number; retryable: boolean }>;

/** Union of every error code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Options accepted by {@linkcode KioskError}. */
export interface KioskErrorOptions {
  /** The lower-level error that caused this one. */
  cause?: unknown;
  /** Overrides the code's default retryability. */
  retryable?: boolean;
  /** Structured, non-personal details that help a person act (a config key, a port). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The base class of every coded failure in the kiosk.
 *
 * @example
 * ```ts
 * throw new KioskError("central-unreachable", `Cannot reach central at "${url}": connection refused`, { cause });
 * ```
 */
export class KioskError extends Error {
  override readonly name = "KioskError";
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: KioskErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? ERROR_CODES[code].retryable;
    this.details = Object.freeze({ ...options.details });
  }
}

/** True when `value` is a {@linkcode KioskError}, optionally with the given code. */
export function isKioskError(value: unknown, code?: ErrorCode): value is KioskError {
  return value instanceof KioskError && (code === undefined || value.code === code);
}
