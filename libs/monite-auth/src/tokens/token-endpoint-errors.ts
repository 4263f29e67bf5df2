import {
  MoniteAuthenticationError,
  MoniteAuthError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteValidationError,
  type MoniteAuthErrorDetails,
} from '../errors.js';

/** What an error body says, reduced to the two fields the library keeps. */
export interface ParsedErrorBody {
  message?: string;
  code?: string;
}

const MAX_MESSAGE_LENGTH = 300;

/**
 * Reads the error bodies Monite and OAuth2 servers send (MONITE-API.md "Error bodies"):
 * `{error: {message, type}}`, FastAPI 422 `{detail: [{loc, msg}]}` (never its `input`, which can
 * echo the request), `{error_code, error_message}` (MoneyKit), `{error, error_description}` (RFC 6749).
 */
export function parseErrorBody(body: unknown): ParsedErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'object' && error !== null) {
    const inner = error as Record<string, unknown>;
    return { message: text(inner.message), code: text(inner.type) ?? text(inner.code) };
  }
  if (typeof record.error_code === 'string' || typeof record.error_message === 'string') {
    return { message: text(record.error_message), code: text(record.error_code) };
  }
  if (typeof error === 'string') return { message: text(record.error_description), code: text(error) };
  if (Array.isArray(record.detail)) {
    const parts = record.detail
      .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
      .map((item) => {
        const loc = Array.isArray(item.loc) ? item.loc.map(String).join('.') : undefined;
        const msg = typeof item.msg === 'string' ? item.msg : undefined;
        return loc && msg ? `${loc}: ${msg}` : msg;
      })
      .filter((part): part is string => part !== undefined);
    return { message: text(parts.join('; ')) };
  }
  return { message: text(record.detail) ?? text(record.message) };
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH)}...` : clean;
}

/** Replaces every occurrence of each secret (in case a server echoes one) with `[redacted]`. */
export function redact(value: string | undefined, secrets: readonly string[]): string | undefined {
  if (value === undefined) return undefined;
  let result = value;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}

export interface ErrorResponse {
  status: number;
  parsed: ParsedErrorBody;
  retryAfterMs?: number;
  /** What was attempted, for the message: `partner token request`, `token revocation`, ... */
  operation: string;
  /** The token endpoint answers bad credentials with 400 as well as 401. */
  tokenEndpoint?: boolean;
}

/**
 * The library's error for a non-2xx answer, built from the status, the parsed message and
 * `Retry-After` only (never from the transport error or request).
 */
export function errorFromResponse(response: ErrorResponse): MoniteAuthError {
  const { status, parsed, retryAfterMs, operation } = response;
  const details: MoniteAuthErrorDetails = {
    status,
    moniteMessage: parsed.message,
    code: parsed.code,
    retryAfterMs,
  };
  const said = parsed.message ? ` (${parsed.message})` : '';
  const message = `nestjs-monite-auth: ${operation} failed: Monite answered ${status}${said}`;
  switch (true) {
    case status === 401:
      return new MoniteAuthenticationError(message, details);
    case status === 400 && response.tokenEndpoint === true && !isRequestShapeError(parsed.code):
      return new MoniteAuthenticationError(message, details);
    case status === 403:
      return new MonitePermissionError(message, details);
    case status === 409 && /not allowed/i.test(parsed.message ?? ''):
      return new MonitePermissionError(message, details);
    case status === 404:
      return new MoniteNotFoundError(message, details);
    case status === 429:
      return new MoniteRateLimitError(message, details);
    case status >= 500 || status === 408:
      return new MoniteUnavailableError(message, details);
    default:
      return new MoniteValidationError(message, details);
  }
}

/** 400 codes that mean "the request was malformed", as opposed to "the credentials were refused". */
function isRequestShapeError(code: string | undefined): boolean {
  return (
    code !== undefined &&
    /version|invalid_request|unsupported_grant_type|invalid_scope|validation/i.test(code)
  );
}
