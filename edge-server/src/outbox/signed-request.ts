import { KIOSK_REQUEST_HEADERS, requestSigningInput, sha256Hex, signBase64Url, toBase64Url, type Signer } from "@kiosk/contracts";

/** Random bytes of a request nonce. */
const NONCE_BYTES = 16;

/** A fresh request nonce: 16 random bytes, base64url. */
export function newRequestNonce(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}

/**
 * The headers that authenticate a kiosk request: idempotency key, key id,
 * SHA-256 of the body bytes exactly as sent, timestamp, nonce, and the
 * kiosk's Ed25519 signature over all of them with method and path.
 *
 * @param request.body the body as sent (after compression); empty for a GET.
 * @param request.timestampMs when the request is signed, on central's clock as the kiosk estimates it (epoch ms).
 * @param request.nonce new for every request, a retry included ({@linkcode newRequestNonce}).
 */
export async function signedRequestHeaders(
  signer: Signer,
  request: { method: string; path: string; idempotencyKey: string; body: Uint8Array; timestampMs: number; nonce: string },
): Promise<Record<string, string>> {
  const contentSha256 = await sha256Hex(request.body);
  const timestamp = new Date(request.timestampMs).toISOString();
  const { method, path, idempotencyKey, nonce } = request;
  const signature = await signBase64Url(signer, requestSigningInput({ method, path, idempotencyKey, contentSha256, keyId: signer.keyId, timestamp, nonce }));
  return {
    [KIOSK_REQUEST_HEADERS.idempotencyKey]: idempotencyKey,
    [KIOSK_REQUEST_HEADERS.keyId]: signer.keyId,
    [KIOSK_REQUEST_HEADERS.contentSha256]: contentSha256,
    [KIOSK_REQUEST_HEADERS.timestamp]: timestamp,
    [KIOSK_REQUEST_HEADERS.nonce]: nonce,
    [KIOSK_REQUEST_HEADERS.signature]: signature,
  };
}
