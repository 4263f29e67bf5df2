/**
 * Where a failure happened: Monite's token endpoint (a request the library makes on its own behalf,
 * so a refusal there is the library's problem, never the end user's), or a call to Monite's API
 * (`MoniteClient`). Absent: the library refused the input itself, before any request.
 */
export type MoniteErrorOrigin = 'token_endpoint' | 'api';

/** One field Monite refused (FastAPI's 422 `detail[]`): where (`amount`, `query.limit`) and why. */
export interface MoniteFieldError {
  readonly field: string;
  readonly message: string;
}

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
  /** Where the failure happened; absent when the library refused the input before any request. */
  origin?: MoniteErrorOrigin;
  /** The fields Monite refused, when it named them (422). */
  fields?: readonly MoniteFieldError[];
}

/** Base class of every error the library throws. */
export class MoniteAuthError extends Error {
  readonly status?: number;
  readonly moniteMessage?: string;
  readonly code?: string;
  readonly retryAfterMs?: number;
  readonly origin?: MoniteErrorOrigin;
  readonly fields?: readonly MoniteFieldError[];

  constructor(message: string, details: MoniteAuthErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.status = details.status;
    this.moniteMessage = details.moniteMessage;
    this.code = details.code;
    this.retryAfterMs = details.retryAfterMs;
    this.origin = details.origin;
    this.fields = details.fields === undefined ? undefined : Object.freeze([...details.fields]);
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
      origin: this.origin,
      fields: this.fields,
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

/**
 * Monite rate-limited us (429) and retries ran out, or a token is needed while the window such a 429
 * opened is still running (no request is sent then); `retryAfterMs` says when to try again.
 */
export class MoniteRateLimitError extends MoniteAuthError {}

/**
 * Monite could not be reached or answered 5xx, a timeout (`code: 'ETIMEDOUT'`, also when a token
 * call's whole deadline ran out, queued time included), or a body that is not what Monite sends.
 */
export class MoniteUnavailableError extends MoniteAuthError {}

/** Monite answered 2xx with a body that is not a valid token response (typed, never cached). */
export class MoniteMalformedResponseError extends MoniteUnavailableError {}

/** The requested Monite object does not exist (404). */
export class MoniteNotFoundError extends MoniteAuthError {}

/**
 * Monite does not know the entity user a token was asked for (the `entity_user` grant answered 404,
 * or 422 naming `entity_user_id`). Never cached, never retried: the caller is unknown, not Monite down.
 */
export class MoniteUnknownEntityUserError extends MoniteNotFoundError {}
