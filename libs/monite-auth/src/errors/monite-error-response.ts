import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteValidationError,
  type MoniteAuthErrorDetails,
} from './monite-auth.errors.js';

/*
 * The one place that reads what a server answered when a request failed: Monite's error bodies,
 * `Retry-After`, and the library error for a status. Used by the token endpoint client and by
 * MoniteClient alike, so both map the same answer to the same error.
 */

/** What an error body says, reduced to the two fields the library keeps. */
export interface MoniteErrorBody {
  message?: string;
  code?: string;
}

const MAX_MESSAGE_LENGTH = 300;

/**
 * Reads the error bodies Monite and OAuth2 servers send: `{error: {message, type}}`, FastAPI's 422
 * `{detail: [{loc, msg}]}` (never its `input`, which can echo the request) or `{detail: "..."}`,
 * `{error_code, error_message}` (MoneyKit) and `{error, error_description}` (RFC 6749 5.2).
 * A body of another shape yields nothing: it is never quoted, as it could echo what we sent.
 */
export function readMoniteErrorBody(body: unknown): MoniteErrorBody {
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
        const loc = Array.isArray(item.loc)
          ? item.loc.filter((part) => typeof part !== 'object').join('.')
          : undefined;
        const msg = text(item.msg);
        return loc && msg ? `${loc}: ${msg}` : msg;
      })
      .filter((part): part is string => part !== undefined);
    return { message: text(parts.join('; ')), code: 'validation_error' };
  }
  return { message: text(record.detail) ?? text(record.message) };
}

/** A body as JSON, or `undefined` when it is not JSON (an HTML error page, say). */
export function parseJsonBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * `Retry-After` as milliseconds from `now` (RFC 9110 10.2.3: delay-seconds or an HTTP date).
 * `undefined` when absent or unreadable; a date in the past is 0. Takes a header value as axios
 * gives it (a string, or an array for a repeated header).
 */
export function parseRetryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
  const header = Array.isArray(value) ? value[0] : value;
  if (typeof header !== 'string') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return Number.isSafeInteger(seconds * 1000) ? seconds * 1000 : Number.MAX_SAFE_INTEGER;
  }
  // Every HTTP-date form (IMF-fixdate, RFC 850, asctime) starts with the weekday; Date.parse alone
  // would also accept things like "2.5".
  if (!/^[A-Za-z]{3,9},?\s/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Monite answers some permission failures with 409 and `Action {action} for {object_type} not allowed`. */
export function isPermissionConflict(status: number, message: string | undefined): boolean {
  return status === 409 && message !== undefined && /\bnot allowed\b/i.test(message);
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

export interface MoniteErrorResponse {
  status: number;
  /** The parsed body (see {@link parseJsonBody}); anything. */
  body: unknown;
  /** The raw `Retry-After` header, if any. */
  retryAfter?: unknown;
  /** Wall clock, epoch ms, to read an HTTP-date `Retry-After`. Default `Date.now()`. */
  now?: number;
  /** What was attempted, for the message: `partner token request`, `GET /payables`, ... */
  operation: string;
  /** The token endpoint answers bad credentials with 400 as well as 401. */
  tokenEndpoint?: boolean;
  /** Values scrubbed from Monite's message and code should a server echo them (the client secret). */
  secrets?: readonly string[];
}

/**
 * The library's error for a non-2xx answer, built from the status, Monite's message and
 * `Retry-After` only (never from the transport error or the request).
 */
export function moniteErrorFromResponse(response: MoniteErrorResponse): MoniteAuthError {
  const { status, operation, secrets = [] } = response;
  const parsed = readMoniteErrorBody(response.body);
  const moniteMessage = redact(parsed.message, secrets);
  const details: MoniteAuthErrorDetails = {
    status,
    moniteMessage,
    code: redact(parsed.code, secrets),
    retryAfterMs:
      status === 429 || status === 503 ? parseRetryAfterMs(response.retryAfter, response.now) : undefined,
  };
  const said = moniteMessage ? ` (${moniteMessage})` : '';
  const message = `nestjs-monite-auth: ${operation} failed: Monite answered ${status}${said}`;
  switch (true) {
    case status === 401:
      return new MoniteAuthenticationError(message, details);
    case status === 400 && response.tokenEndpoint === true && !isRequestShapeError(details.code):
      return new MoniteAuthenticationError(message, details);
    case status === 403 || isPermissionConflict(status, moniteMessage):
      return new MonitePermissionError(message, details);
    case status === 404:
      return new MoniteNotFoundError(message, details);
    case status === 429:
      return new MoniteRateLimitError(message, details);
    case status >= 500 || status === 408:
      return new MoniteUnavailableError(message, details);
    case status === 400 || status === 422:
      return new MoniteValidationError(message, details);
    default:
      // 409 (other than a permission failure) and other 4xx: the status says it all.
      return new MoniteAuthError(message, details);
  }
}

/** 400 codes that mean "the request was malformed", as opposed to "the credentials were refused". */
function isRequestShapeError(code: string | undefined): boolean {
  return (
    code !== undefined &&
    /version|invalid_request|unsupported_grant_type|invalid_scope|validation/i.test(code)
  );
}

/** A non-empty one-line string, cut to a length fit for a message; anything else is dropped. */
function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH)}...` : clean;
}
