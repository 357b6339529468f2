import { KIOSK_REQUEST_HEADERS, requestSigningInput, sha256Hex, signBase64Url, type Signer } from "@kiosk/contracts";

/**
 * The headers that authenticate a kiosk request: idempotency key, key id,
 * SHA-256 of the body bytes exactly as sent, and the kiosk's Ed25519
 * signature over method, path, idempotency key, body digest and key id.
 *
 * @param body the body as sent (after compression); empty for a GET.
 */
export async function signedRequestHeaders(
  signer: Signer,
  request: { method: string; path: string; idempotencyKey: string; body: Uint8Array },
): Promise<Record<string, string>> {
  const contentSha256 = await sha256Hex(request.body);
  const signature = await signBase64Url(
    signer,
    requestSigningInput({ method: request.method, path: request.path, idempotencyKey: request.idempotencyKey, contentSha256, keyId: signer.keyId }),
  );
  return {
    [KIOSK_REQUEST_HEADERS.idempotencyKey]: request.idempotencyKey,
    [KIOSK_REQUEST_HEADERS.keyId]: signer.keyId,
    [KIOSK_REQUEST_HEADERS.contentSha256]: contentSha256,
    [KIOSK_REQUEST_HEADERS.signature]: signature,
  };
}
