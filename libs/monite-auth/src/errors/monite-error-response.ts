import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteUnknownEntityUserError,
  MoniteValidationError,
  type MoniteAuthErrorDetails,
  type MoniteFieldError,
} from './monite-auth.errors.js';
import { MoniteSecretScrubber } from './monite-secret-scrubber.js';

/*
 * The one place that reads what a server answered when a request failed: Monite's error bodies,
 * `Retry-After`, and the library error for a status. Used by the token endpoint client and by
 * MoniteClient alike, so both map the same answer to the same error.
 */

/** What an error body says, reduced to what the library keeps: scrubbed, one line each, cut short. */
export interface MoniteErrorBody {
  message?: string;
  code?: string;
  /** FastAPI's 422 `detail[]`, one entry per field named. */
  fields?: MoniteFieldError[];
}

const MAX_MESSAGE_LENGTH = 300;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;
const MAX_FIELDS = 50;
const NO_SECRETS = new MoniteSecretScrubber();

/**
 * Reads the error bodies Monite and OAuth2 servers send: `{error: {message, type}}`, FastAPI's 422
 * `{detail: [{loc, msg}]}` (never its `input`, which can echo the request) or `{detail: "..."}`,
 * `{error_code, error_message}` (MoneyKit) and `{error, error_description}` (RFC 6749 5.2).
 * A body of another shape yields nothing: it is never quoted, as it could echo what we sent.
 * Every string is scrubbed of `secrets` first and only then cut to length, so no part of a secret
 * survives the cut.
 */
export function readMoniteErrorBody(
  body: unknown,
  secrets: MoniteSecretScrubber = NO_SECRETS,
): MoniteErrorBody {
  const text = (value: unknown) => cleanText(value, secrets);
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
    const fields: MoniteFieldError[] = [];
    const parts: string[] = [];
    for (const item of record.detail.slice(0, MAX_FIELDS)) {
      if (typeof item !== 'object' || item === null) continue;
      const { loc, msg } = item as Record<string, unknown>;
      const message = typeof msg === 'string' ? msg : undefined;
      if (message === undefined) continue;
      const path = Array.isArray(loc) ? loc.filter((part) => typeof part !== 'object').map(String) : [];
      parts.push(path.length > 0 ? `${path.join('.')}: ${message}` : message);
      // `body.amount` is the caller's `amount`; `query.limit` stays as is.
      const field = text((path[0] === 'body' ? path.slice(1) : path).join('.'));
      const said = text(message);
      if (field !== undefined && said !== undefined) fields.push({ field, message: said });
    }
    return { message: text(parts.join('; ')), code: 'validation_error', fields };
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
  /** The token endpoint answers bad credentials with 400 as well as 401; its failures are `origin: 'token_endpoint'`. */
  tokenEndpoint?: boolean;
  /** An `entity_user` token request: a 404, or a 422 naming `entity_user_id`, means Monite does not know the user. */
  entityUserGrant?: boolean;
  /**
   * Values scrubbed from everything kept of the answer should a server echo them: the client secret
   * (in every wire form), the bearer token of the call. Scrubbed before any cut, however short.
   */
  secrets?: readonly string[] | MoniteSecretScrubber;
}

/**
 * The library's error for a non-2xx answer, built from the status, Monite's message and
 * `Retry-After` only (never from the transport error or the request).
 */
export function moniteErrorFromResponse(response: MoniteErrorResponse): MoniteAuthError {
  const { status, operation, secrets } = response;
  const scrubber = secrets instanceof MoniteSecretScrubber ? secrets : new MoniteSecretScrubber(secrets);
  const parsed = readMoniteErrorBody(response.body, scrubber);
  const moniteMessage = parsed.message;
  const details: MoniteAuthErrorDetails = {
    status,
    moniteMessage,
    code: parsed.code,
    retryAfterMs:
      status === 429 || status === 503 ? parseRetryAfterMs(response.retryAfter, response.now) : undefined,
    origin: response.tokenEndpoint === true ? 'token_endpoint' : 'api',
    ...(parsed.fields !== undefined && parsed.fields.length > 0 ? { fields: parsed.fields } : {}),
  };
  const said = moniteMessage ? ` (${moniteMessage})` : '';
  const message = `nestjs-monite-auth: ${operation} failed: Monite answered ${status}${said}`;
  if (response.entityUserGrant === true && namesUnknownEntityUser(status, parsed)) {
    return new MoniteUnknownEntityUserError(
      `nestjs-monite-auth: ${operation} failed: Monite does not know this entity user (${status})`,
      details,
    );
  }
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

/** 404 on the `entity_user` grant, or a 422 that names `entity_user_id`. */
function namesUnknownEntityUser(status: number, body: MoniteErrorBody): boolean {
  if (status === 404) return true;
  if (status !== 422) return false;
  if (body.fields?.some((field) => /(^|\.)entity_user_id$/.test(field.field))) return true;
  return body.message !== undefined && body.message.includes('entity_user_id');
}

/**
 * A non-empty one-line string, scrubbed of secrets and only then cut to a length fit for a message;
 * anything else is dropped.
 */
function cleanText(value: unknown, secrets: MoniteSecretScrubber): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = secrets.scrub(value).replace(CONTROL_CHARACTERS, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH)}...` : clean;
}
