/**
 * The library's error types. They carry meaning (status, Monite's message, when to retry),
 * never transport: no axios error, request config, header, body, secret or token is kept on them,
 * so `JSON.stringify(error)` and `util.inspect(error)` are safe to log.
 */
export interface MoniteAuthErrorDetails {
  /** HTTP status Monite answered with, if it answered. */
  status?: number;
  /** Monite's own message (`error.message`, `detail[].msg`, or an OAuth2 `error_message`). */
  moniteMessage?: string;
  /** Monite's error type or OAuth2 `error_code`, when it sent one. */
  code?: string;
  /** How long Monite asked us to wait (429 `Retry-After`), in milliseconds. */
  retryAfterMs?: number;
}

/** Base class of every error the library throws. */
export class MoniteAuthError extends Error {
  readonly status?: number;
  readonly moniteMessage?: string;
  readonly code?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, details: MoniteAuthErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.status = details.status;
    this.moniteMessage = details.moniteMessage;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
  }

  /** Plain, secret-free view used by `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      moniteMessage: this.moniteMessage,
      code: this.code,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

/** A module option is missing or invalid; thrown at boot. Names the option, never a secret value. */
export class MoniteConfigurationError extends MoniteAuthError {}

/** Monite refused the credentials (token endpoint 400/401) or a token (401). Never retried. */
export class MoniteAuthenticationError extends MoniteAuthError {}

/** Monite refused the action (403, or 409 "Action ... not allowed"). */
export class MonitePermissionError extends MoniteAuthError {}

/** Monite rejected the request's content (422, or 400 other than bad credentials). */
export class MoniteValidationError extends MoniteAuthError {}

/** Monite rate-limited us (429) and retries ran out; `retryAfterMs` says when to try again. */
export class MoniteRateLimitError extends MoniteAuthError {}

/** Monite could not be reached or answered 5xx, a timeout, or a body that is not what Monite sends. */
export class MoniteUnavailableError extends MoniteAuthError {}

/** Monite answered 2xx with a body that is not a valid token response (typed, never cached). */
export class MoniteMalformedResponseError extends MoniteUnavailableError {}

/** The requested Monite object does not exist (404). */
export class MoniteNotFoundError extends MoniteAuthError {}
