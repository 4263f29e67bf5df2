import { MoniteConfigurationError } from '../errors/index.js';
import type { MoniteTokenGrant } from '../monite-identity.js';
import type { ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { formBody } from './oauth2-form-encoding.js';

/** Which token to ask for. */
export interface TokenGrantRequest {
  grant: MoniteTokenGrant;
  /** Required for `entity_user`; a validated UUID. */
  entityUserId?: string;
}

/** One request as it goes on the wire. Built per attempt and dropped after it: it holds the secret. */
export interface WireRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

function commonHeaders(options: ResolvedMoniteAuthOptions): Record<string, string> {
  return { accept: 'application/json', 'x-monite-version': options.apiVersion };
}

/** The token request for the configured profile: Monite's JSON, or an RFC 6749 form (body or Basic credentials). */
export function tokenWireRequest(
  options: ResolvedMoniteAuthOptions,
  request: TokenGrantRequest,
): WireRequest {
  const { credentials, tokenEndpoint } = options;
  if (tokenEndpoint.profile === 'monite') {
    return {
      url: tokenEndpoint.url,
      headers: { ...commonHeaders(options), 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: request.grant,
        client_id: credentials.clientId,
        client_secret: credentials.revealSecret(),
        ...(request.grant === 'entity_user' ? { entity_user_id: request.entityUserId } : {}),
      }),
    };
  }
  if (request.grant !== 'client_credentials') {
    throw new MoniteConfigurationError(
      'nestjs-monite-auth: entity user tokens need tokenEndpoint.profile "monite"',
    );
  }
  // RFC 6749 2.3.1: credentials in the body or as HTTP Basic, never both.
  const fields: Array<[string, string]> = [['grant_type', 'client_credentials']];
  if (tokenEndpoint.scope.length > 0) fields.push(['scope', tokenEndpoint.scope.join(' ')]);
  const headers: Record<string, string> = {
    ...commonHeaders(options),
    'content-type': 'application/x-www-form-urlencoded',
  };
  if (tokenEndpoint.credentials === 'basic') {
    headers.authorization = `Basic ${credentials.basic()}`;
  } else {
    fields.push(['client_id', credentials.clientId], ['client_secret', credentials.revealSecret()]);
  }
  return { url: tokenEndpoint.url, headers, body: formBody(fields) };
}

/** `POST /auth/revoke` with the token as Bearer and `{client_id, client_secret, token}` (Monite profile only). */
export function revokeWireRequest(options: ResolvedMoniteAuthOptions, accessToken: string): WireRequest {
  if (options.revokeUrl === undefined) {
    throw new MoniteConfigurationError(
      'nestjs-monite-auth: token revocation needs tokenEndpoint.profile "monite"; the token was evicted locally',
    );
  }
  return {
    url: options.revokeUrl,
    headers: {
      ...commonHeaders(options),
      'content-type': 'application/json',
      authorization: `Bearer ${accessToken}`,
    },
    body: JSON.stringify({
      client_id: options.credentials.clientId,
      client_secret: options.credentials.revealSecret(),
      token: accessToken,
    }),
  };
}
