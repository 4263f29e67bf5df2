import { findClient, type EmulatorCore } from '../core.js';
import { HttpError } from '../http/http-error.js';
import type { RouteDefinition, RouteRequest, RouteResult } from '../router.js';
import { NO_STORE } from './auth.routes.js';

/** Where the generic OAuth2 client-credentials profile (MoneyKit style) is served. */
export const OAUTH2_TOKEN_PATH = '/oauth2/token';

/** RFC 6749 appendix A.4: a scope token is printable ASCII except space, `"` and `\`. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * `POST /oauth2/token`: RFC 6749 4.4 client credentials with a form body. Credentials come in
 * the body or in HTTP Basic (RFC 6749 2.3.1), never both. Errors use the profile's
 * `{error_code, error_message}` body. No `x-monite-version` needed. Tokens are partner tokens.
 */
export function oauth2Routes(core: EmulatorCore): RouteDefinition[] {
  return [
    {
      method: 'POST',
      pattern: OAUTH2_TOKEN_PATH,
      versioned: false,
      access: { kind: 'client-credentials' },
      handler: (r) => oauth2Token(core, r),
    },
  ];
}

function oauth2Token(core: EmulatorCore, request: RouteRequest): RouteResult {
  if (request.mediaType !== 'application/x-www-form-urlencoded') {
    throw oauthError(400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const form = new URLSearchParams(request.rawBody.toString('utf8'));
  for (const name of new Set(form.keys())) {
    // RFC 6749 3.2: request parameters must not be included more than once.
    if (form.getAll(name).length > 1)
      throw oauthError(400, 'invalid_request', `Parameter ${safeName(name)} is repeated`);
  }

  const basic = basicCredentials(request.headers.authorization);
  const bodyHasCredentials = form.has('client_id') || form.has('client_secret');
  if (basic && bodyHasCredentials) {
    throw oauthError(
      400,
      'invalid_request',
      'Send client credentials either in HTTP Basic or in the body, not both',
    );
  }

  const grantType = form.get('grant_type');
  if (grantType === null || grantType === '')
    throw oauthError(400, 'invalid_request', 'grant_type is required');
  if (grantType !== 'client_credentials') {
    throw oauthError(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported');
  }

  const credentials = basic ?? {
    clientId: form.get('client_id') ?? '',
    clientSecret: form.get('client_secret') ?? '',
  };
  const client =
    credentials.clientId && credentials.clientSecret
      ? findClient(core, credentials.clientId, credentials.clientSecret)
      : undefined;
  if (!client) {
    // RFC 6749 5.2: with Basic, a 401 carries a WWW-Authenticate challenge.
    throw oauthError(
      401,
      'invalid_client',
      'Client authentication failed',
      basic ? { 'WWW-Authenticate': 'Basic realm="monite-emulator"' } : {},
    );
  }

  const rawScope = form.get('scope');
  const scopes = rawScope === null ? [] : rawScope.split(' ').filter((s) => s.length > 0);
  if (scopes.some((s) => !SCOPE_TOKEN.test(s)))
    throw oauthError(400, 'invalid_scope', 'The scope is malformed');
  const scope = scopes.length > 0 ? [...new Set(scopes)].join(' ') : undefined;

  const lifetime = core.settings.tokenLifetimeSeconds;
  const { accessToken } = core.tokens.issue(
    { clientId: client.clientId, grant: 'oauth2_client_credentials', entityUserId: null, scope },
    lifetime,
  );
  return {
    status: core.settings.oauth2SuccessStatus,
    body: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: lifetime,
      ...(scope ? { scope } : {}),
    },
    headers: { ...NO_STORE },
  };
}

/**
 * Client credentials from `Authorization: Basic`, or undefined when the header is absent.
 * RFC 6749 2.3.1: base64 of `urlencode(id) ":" urlencode(secret)`, so each part is
 * form-decoded (`+` is a space, `%XX` a byte) after splitting at the first colon.
 */
export function basicCredentials(
  header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  if (!match) throw oauthError(400, 'invalid_request', 'The Authorization header must be HTTP Basic');
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw oauthError(400, 'invalid_request', 'The Basic credentials are malformed');
  try {
    return {
      clientId: formDecode(decoded.slice(0, colon)),
      clientSecret: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    throw oauthError(400, 'invalid_request', 'The Basic credentials are not properly URL-encoded');
  }
}

function formDecode(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

/** A parameter name for a message: only plain names are quoted, anything else is not echoed. */
function safeName(name: string): string {
  return /^[a-z_]{1,32}$/.test(name) ? name : '(a parameter)';
}

function oauthError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, { error_code: code, error_message: message }, { ...NO_STORE, ...headers });
}
