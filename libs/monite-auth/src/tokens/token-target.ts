import { MoniteUnavailableError } from '../errors/index.js';
import type { MoniteTokenGrant } from '../monite-identity.js';
import type { StoredToken } from './monite-token-store.js';
import type { IssuedToken } from './token-endpoint.client.js';

/** However long a server says a token lives, it is refreshed at least daily. */
const MAX_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** One token the service asks for: its store key and grant (and user, for `entity_user`). */
export interface TokenTarget {
  key: string;
  grant: MoniteTokenGrant;
  entityUserId?: string;
}

/** `partner token` or `entity user token (<id>)`, for messages. */
export function describeTarget(target: TokenTarget): string {
  return target.entityUserId === undefined ? 'partner token' : `entity user token (${target.entityUserId})`;
}

/**
 * The issued token dated from when its request was sent (`now - elapsed`), which a slow answer
 * cannot stretch, and due for refresh `min(skew, lifetime / 2)` before it expires.
 */
export function toStoredToken(
  issued: IssuedToken,
  target: TokenTarget,
  now: number,
  skewMs: number,
): StoredToken {
  const lifetime = Math.min(issued.lifetimeMs, MAX_LIFETIME_MS);
  // Whole milliseconds, rounded towards the past: `expiresAt` is an epoch-ms integer.
  const expiresAt = Math.floor(now - issued.elapsedMs + lifetime);
  if (expiresAt <= now) {
    throw new MoniteUnavailableError(
      `nestjs-monite-auth: ${describeTarget(target)} request failed: the token expired before it arrived`,
      { origin: 'token_endpoint' },
    );
  }
  const refreshAt = expiresAt - Math.min(skewMs, Math.floor(lifetime / 2));
  return { accessToken: issued.accessToken, tokenType: 'Bearer', expiresAt, refreshAt };
}
