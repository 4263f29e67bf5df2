import type { IncomingHttpHeaders } from 'node:http';
import type { EmulatorCore } from './core.js';
import { HttpError } from './http/http-error.js';
import type { StoredEntityUser } from './store/state.js';
import type { IssuedToken } from './store/token-registry.js';

/** Who is calling: the partner (client credentials) or one entity user. */
export type Principal =
  | { kind: 'partner'; clientId: string; token: IssuedToken }
  | { kind: 'entity_user'; clientId: string; token: IssuedToken; user: StoredEntityUser };

/** The bearer token of a request, or undefined when the header is absent or not `Bearer <token>`. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Resolves the caller from `Authorization: Bearer`. Missing, malformed, unknown, expired or revoked
 * tokens, and tokens of deleted entity users, are 401 (RFC 6750 `WWW-Authenticate` included).
 * The token is never quoted in the answer.
 */
export function authenticate(core: EmulatorCore, headers: IncomingHttpHeaders): Principal {
  if (headers.authorization === undefined) throw unauthorized('Authorization header is missing');
  const accessToken = bearerToken(headers);
  if (accessToken === undefined) throw unauthorized('Authorization header must be "Bearer <access token>"');
  const found = core.tokens.lookup(accessToken);
  if (found.state === 'expired') throw unauthorized('Access token has expired');
  if (found.state === 'revoked') throw unauthorized('Access token has been revoked');
  if (found.state !== 'valid') throw unauthorized('Access token is not valid');
  const token = found.token;
  if (token.entityUserId === null) return { kind: 'partner', clientId: token.clientId, token };
  const user = core.state.users.get(token.entityUserId);
  if (!user) throw unauthorized('Access token is not valid');
  return { kind: 'entity_user', clientId: token.clientId, token, user };
}

function unauthorized(message: string): HttpError {
  return new HttpError(401, { error: { message } }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
}
