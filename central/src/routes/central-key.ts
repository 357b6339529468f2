import type { Signer } from "@kiosk/contracts";
import { Hono } from "hono";

/** Path of central's public key. */
export const CENTRAL_KEY_PATH = "/api/v1/central-key";

/** Central's public key as served and printed, for configuring kiosks. */
export interface CentralKeyInfo {
  readonly algorithm: "ed25519";
  /** Put in the kiosk's `sync.centralKeyId`. */
  readonly keyId: string;
  /** Raw 32-byte public key, base64; put in the kiosk's `sync.centralPublicKey`. */
  readonly publicKey: string;
}

/** The public half of central's receipt key. */
export function centralKeyInfo(signer: Signer): CentralKeyInfo {
  return { algorithm: "ed25519", keyId: signer.keyId, publicKey: Buffer.from(signer.publicKey).toString("base64") };
}

/** `GET /api/v1/central-key`: the key that signs receipts and sync pages (public, unauthenticated). */
export function centralKeyRoutes(signer: Signer): Hono {
  const routes = new Hono();
  routes.get(CENTRAL_KEY_PATH, (c) => c.json(centralKeyInfo(signer)));
  return routes;
}
