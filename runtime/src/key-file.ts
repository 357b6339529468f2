/**
 * Private keys kept in files readable only by their owner (mode 0600): the
 * kiosk's signing key and data key, and central's receipt key. The location
 * comes from config, so a TPM-backed store can replace the file later behind
 * the same `Signer` interface.
 */
import { KioskError, signerFromKeyPair, type Signer } from "@kiosk/contracts";
import { randomUUID } from "node:crypto";
import { closeSync, existsSync, fchmodSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";

const FILE_MODE = 0o600;

interface SigningKeyFile {
  readonly type: "ed25519";
  /** PKCS#8 private key, base64. */
  readonly privateKey: string;
  /** Raw public key, base64. */
  readonly publicKey: string;
}

function checkMode(path: string): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KioskError("config-invalid", `Key file "${path}" is readable by others (mode ${mode.toString(8)}): run "chmod 600 ${path}"`);
  }
}

/**
 * Creates `path` holding `text` unless it exists already, atomically: the
 * text goes whole into a private temporary file that is then hard-linked to
 * `path`, and a link never replaces a file. So when several processes create
 * the same key at once, exactly one key lands and every process then reads
 * that one; a reader never sees a half-written file.
 */
function createSecretOnce(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomUUID()}.tmp`;
  // Created 0600 (never readable by others), then set exactly 0600 whatever the umask.
  const fd = openSync(temporary, "wx", FILE_MODE);
  try {
    try {
      fchmodSync(fd, FILE_MODE);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/**
 * Loads the Ed25519 signing key at `path`, creating it (mode 0600) when the
 * file does not exist yet.
 *
 * @throws {KioskError} `config-invalid` when the file is unreadable, malformed
 *   or readable by other users.
 */
export async function loadOrCreateSigningKey(path: string): Promise<Signer> {
  if (!existsSync(path)) {
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as unknown as CryptoKeyPair;
    const file: SigningKeyFile = {
      type: "ed25519",
      privateKey: Buffer.from(await crypto.subtle.exportKey("pkcs8", pair.privateKey)).toString("base64"),
      publicKey: Buffer.from(await crypto.subtle.exportKey("raw", pair.publicKey)).toString("base64"),
    };
    createSecretOnce(path, `${JSON.stringify(file)}\n`);
  }
  checkMode(path);
  let file: SigningKeyFile;
  try {
    file = JSON.parse(readFileSync(path, "utf8")) as SigningKeyFile;
    if (file.type !== "ed25519") throw new Error(`unknown key type "${String(file.type)}"`);
  } catch (cause) {
    throw new KioskError("config-invalid", `Key file "${path}" is not a signing key: ${(cause as Error).message}`, { cause });
  }
  const privateKey = await crypto.subtle.importKey("pkcs8", Buffer.from(file.privateKey, "base64"), { name: "Ed25519" }, false, ["sign"]);
  return signerFromKeyPair(privateKey, new Uint8Array(Buffer.from(file.publicKey, "base64")));
}

/**
 * Loads the 256-bit AES-GCM data key at `path`, creating it (mode 0600) when
 * the file does not exist yet. The key is not extractable once loaded.
 *
 * @throws {KioskError} `config-invalid` when the file is malformed or readable by others.
 */
export async function loadOrCreateDataKey(path: string): Promise<CryptoKey> {
  if (!existsSync(path)) {
    createSecretOnce(path, `${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}\n`);
  }
  checkMode(path);
  const raw = Buffer.from(readFileSync(path, "utf8").trim(), "base64");
  if (raw.length !== 32) throw new KioskError("config-invalid", `Data key file "${path}" must hold 32 bytes in base64, found ${raw.length}`);
  return crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]);
}
