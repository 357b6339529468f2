import type { MiddlewareHandler } from "hono";
import type { ApiTokenStore } from "../store/api-token-store.ts";
import { UnauthorizedError } from "../unauthorized-error.ts";

const CHALLENGE = 'Bearer realm="shiming-kiosk-central"';

/**
 * Requires `Authorization: Bearer <token>` with a live API token.
 * @throws {UnauthorizedError} when the header is missing, malformed, or the token is unknown or revoked.
 */
export function apiTokenAuth(tokens: ApiTokenStore): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization");
    const match = header ? /^Bearer\s+(\S{1,512})\s*$/i.exec(header) : null;
    if (!match?.[1]) throw new UnauthorizedError("Missing bearer token: send \"Authorization: Bearer <token>\"", { challenge: CHALLENGE });
    if ((await tokens.verify(match[1])) === undefined) {
      throw new UnauthorizedError("Unknown or revoked API token", { challenge: `${CHALLENGE}, error="invalid_token"` });
    }
    await next();
  };
}
