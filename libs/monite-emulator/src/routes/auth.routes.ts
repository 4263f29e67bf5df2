import { z } from 'zod';
import { authenticate, bearerToken } from '../authenticate.js';
import { findClient, type EmulatorCore } from '../core.js';
import { parseJsonBody } from '../http/body.js';
import { HttpError, moniteError, validationError } from '../http/http-error.js';
import { validate } from '../http/validation.js';
import type { RouteDefinition, RouteRequest, RouteResult } from '../router.js';

/** `POST /v1/auth/token` body: Monite's schema has `additionalProperties: false`. */
const tokenBody = z.strictObject({
  grant_type: z.enum(['client_credentials', 'entity_user']),
  client_id: z.guid(),
  client_secret: z.string(),
  entity_user_id: z.guid().nullable().optional(),
});

/** `POST /v1/auth/revoke` body. */
const revokeBody = z.strictObject({
  client_id: z.guid(),
  client_secret: z.string(),
  token: z.string(),
});

/** RFC 6749 5.1: token responses must not be cached. */
export const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

/** Bad credentials: 401, and the message never quotes what was sent. */
export function invalidClient(): HttpError {
  return moniteError(401, 'Invalid client credentials');
}

/** `/v1/auth/token` and `/v1/auth/revoke`. */
export function authRoutes(core: EmulatorCore): RouteDefinition[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/auth/token',
      versioned: true,
      access: { kind: 'client-credentials' },
      handler: (r) => createToken(core, r),
    },
    {
      method: 'POST',
      pattern: '/v1/auth/revoke',
      versioned: true,
      access: { kind: 'token-and-credentials' },
      handler: (r) => revokeToken(core, r),
    },
  ];
}

function createToken(core: EmulatorCore, request: RouteRequest): RouteResult {
  const body = validate(tokenBody, parseJsonBody(request), ['body']);
  if (
    body.grant_type === 'entity_user' &&
    (body.entity_user_id === undefined || body.entity_user_id === null)
  ) {
    throw validationError([{ loc: ['body', 'entity_user_id'], msg: 'Field required', type: 'missing' }]);
  }
  const client = findClient(core, body.client_id, body.client_secret);
  if (!client) throw invalidClient();

  let entityUserId: string | null = null;
  if (body.grant_type === 'entity_user') {
    const user = core.state.users.get(body.entity_user_id!.toLowerCase());
    // Documented choice: an entity user that does not exist is 404 (Monite answers 4xx; the exact code is not documented).
    if (!user) throw moniteError(404, 'Entity user not found');
    entityUserId = user.id;
  }
  const lifetime = core.settings.tokenLifetimeSeconds;
  const { accessToken } = core.tokens.issue(
    { clientId: client.clientId, grant: body.grant_type, entityUserId },
    lifetime,
  );
  return {
    status: 200,
    body: { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer' },
    headers: { ...NO_STORE },
  };
}

/**
 * Revocation needs `Authorization: Bearer` and the client's credentials. The bearer must be a
 * valid token, except when it is the very token being revoked: revoking a token that is already
 * revoked, expired or unknown is a success (RFC 7009 2.2). A token issued to another client is
 * left alone (still 200).
 */
function revokeToken(core: EmulatorCore, request: RouteRequest): RouteResult {
  const bearer = bearerToken(request.headers);
  if (bearer === undefined) authenticate(core, request.headers); // throws the precise 401
  const body = validate(revokeBody, parseJsonBody(request), ['body']);
  const client = findClient(core, body.client_id, body.client_secret);
  if (!client) throw invalidClient();
  if (bearer !== body.token) authenticate(core, request.headers);

  const found = core.tokens.lookup(body.token);
  if (found.token && found.token.clientId === client.clientId) core.tokens.revoke(body.token);
  return { status: 200, body: { message: 'ok' } };
}
