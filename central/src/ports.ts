/**
 * Interfaces central's services depend on, so their implementations (SQL
 * tables today, an enrolment service later) can change behind them.
 */

/** One public key of a kiosk, as central knows it. */
export interface KioskKey {
  /** Identifier the kiosk puts in `X-Kiosk-Key-Id` and in each record's `keyId`. */
  readonly keyId: string;
  readonly kioskId: string;
  /** The hall the owning kiosk stands in. */
  readonly hallId: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** Central clock (epoch ms) when the key was registered. */
  readonly registeredAtMs: number;
  /** Central clock (epoch ms) when the key was revoked; a revoked key verifies nothing any more. */
  readonly revokedAtMs?: number;
}

/** What registering a kiosk key takes. */
export interface KioskKeyRegistration {
  readonly kioskId: string;
  readonly hallId: string;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** Defaults to `keyIdOf(publicKey)`. */
  readonly keyId?: string;
}

/** Outcome of {@linkcode KioskDirectory.register}. */
export interface KioskKeyRegistered {
  readonly key: KioskKey;
  /** False when exactly this key was already registered to this kiosk (registering is idempotent). */
  readonly created: boolean;
  /** True when the kiosk's hall changed with this registration. */
  readonly hallChanged: boolean;
}

/**
 * Device identity: which public keys belong to which kiosk, the kiosk's hall,
 * and revocation. Provisioning builds enrolment on top of this later.
 */
export interface KioskDirectory {
  /** The key with this id, revoked or not, or `undefined`. */
  findKey(keyId: string): Promise<KioskKey | undefined>;
  /** The keys with these ids that exist (one query, for a batch's records). */
  findKeys(keyIds: readonly string[]): Promise<Map<string, KioskKey>>;
  /** The hall of a registered kiosk, or `undefined`. */
  hallOf(kioskId: string): Promise<string | undefined>;
  /**
   * Registers a public key for a kiosk (creating the kiosk, or moving it to
   * `hallId`).
   * @throws {KioskError} `bad-request` when the key id or public key already
   *   belongs to another kiosk or names a different key.
   */
  register(registration: KioskKeyRegistration, nowMs: number): Promise<KioskKeyRegistered>;
  /** Revokes a key; returns false when it does not exist. Revoking twice keeps the first time. */
  revoke(keyId: string, nowMs: number): Promise<boolean>;
}

/** One Ed25519 signature to check. */
export interface SignatureCheck {
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
  readonly message: Uint8Array;
}

/**
 * Checks many Ed25519 signatures at once: record verification is the largest
 * cost of ingest, so it may run off the request thread.
 */
export interface SignatureVerifier {
  /** One result per check, in order; a malformed signature is `false`, never an error. */
  verifyAll(checks: readonly SignatureCheck[]): Promise<boolean[]>;
}

/**
 * The nonces of signed kiosk requests seen within central's window, shared
 * by every central process on one database, so a captured request is
 * refused wherever it is sent again.
 */
export interface SeenNonces {
  /**
   * Records `nonce` for `keyId` until `expiresAtMs` (central clock). Resolves
   * true when it is new, false when it was already recorded (a replay).
   */
  claim(keyId: string, nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}
