import { STATUS_CODES } from 'node:http';
import { HttpException, HttpStatus } from '@nestjs/common';
import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteConfigurationError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteUnknownEntityUserError,
  MoniteValidationError,
  type MoniteFieldError,
} from './monite-auth.errors.js';

/** Body of the HTTP error a controller's caller sees when a Monite call fails. */
export interface MoniteHttpErrorBody {
  statusCode: number;
  /** Monite's own message when the caller can act on it, else a short description. */
  message: string;
  /** The status's name as Nest writes it: `Not Found`, `Bad Gateway`, ... */
  error: string;
  /** The status Monite answered with, when it is the caller's concern (4xx forwarded). */
  moniteStatus?: number;
  /** Seconds to wait before trying again (429; also sent as the `Retry-After` header by the filter). */
  retryAfterSeconds?: number;
  /** The fields Monite refused (422). */
  fields?: readonly MoniteFieldError[];
}

/**
 * A Nest `HttpException` for a failed Monite call, so a controller can let it propagate and the
 * caller gets a meaningful status. `cause` is the library's own error (secret-free), never axios'.
 */
export class MoniteHttpException extends HttpException {
  constructor(
    body: MoniteHttpErrorBody,
    readonly moniteError: MoniteAuthError,
  ) {
    super(body, body.statusCode, { cause: moniteError });
  }

  /** Seconds for the `Retry-After` header, when the caller should wait before trying again. */
  get retryAfterSeconds(): number | undefined {
    return (this.getResponse() as MoniteHttpErrorBody).retryAfterSeconds;
  }
}

const PREFIX = /^nestjs-monite-auth: /;

/**
 * The HTTP answer for a library error (README "Errors"). What is the library's own problem is not
 * forwarded as if it were the caller's: Monite refusing our credentials or token (after the one
 * replay), or anything the token endpoint refused, is a 502; Monite down, slow or answering garbage
 * is a 503; a bad option is a 500. What the caller can act on keeps Monite's words: 403 (and the
 * 409 permission failure), 404, 409, 422 with the fields Monite named, 429 with when to retry. An
 * input the library refused before asking Monite is a 400 that says so, not Monite's refusal.
 */
export function toMoniteHttpException(error: MoniteAuthError): MoniteHttpException {
  const answer = (statusCode: number, message: string, extra: Partial<MoniteHttpErrorBody> = {}) =>
    new MoniteHttpException(
      { statusCode, message, error: STATUS_CODES[statusCode] ?? 'Error', ...extra },
      error,
    );
  const fromMonite = (statusCode: number, fallback: string, extra: Partial<MoniteHttpErrorBody> = {}) =>
    answer(statusCode, error.moniteMessage ?? fallback, {
      ...(error.status !== undefined ? { moniteStatus: error.status } : {}),
      ...extra,
    });

  if (error instanceof MoniteConfigurationError) {
    return answer(HttpStatus.INTERNAL_SERVER_ERROR, 'The Monite integration is misconfigured');
  }
  if (error instanceof MoniteRateLimitError) {
    const retryAfterSeconds =
      error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : undefined;
    return fromMonite(
      HttpStatus.TOO_MANY_REQUESTS,
      'Monite rate limit reached',
      retryAfterSeconds !== undefined ? { retryAfterSeconds } : {},
    );
  }
  if (error instanceof MoniteUnavailableError) {
    return answer(HttpStatus.SERVICE_UNAVAILABLE, 'Monite is unavailable');
  }
  if (error instanceof MoniteAuthenticationError) {
    return answer(HttpStatus.BAD_GATEWAY, 'Monite refused our credentials');
  }
  if (error instanceof MoniteUnknownEntityUserError) {
    return fromMonite(HttpStatus.NOT_FOUND, 'Entity user not found in Monite');
  }
  if (error.origin === 'token_endpoint') {
    return answer(HttpStatus.BAD_GATEWAY, 'Monite refused our token request');
  }
  if (error instanceof MoniteNotFoundError) return fromMonite(HttpStatus.NOT_FOUND, 'Not found in Monite');
  if (error instanceof MonitePermissionError) {
    return fromMonite(HttpStatus.FORBIDDEN, 'Monite denied this action');
  }
  if (error instanceof MoniteValidationError) {
    if (error.status === undefined) {
      return answer(HttpStatus.BAD_REQUEST, error.message.replace(PREFIX, ''));
    }
    return fromMonite(
      HttpStatus.UNPROCESSABLE_ENTITY,
      'Monite rejected the request',
      error.fields !== undefined ? { fields: error.fields } : {},
    );
  }
  const status = error.status;
  if (status !== undefined && status >= 400 && status < 500) {
    return fromMonite(
      status,
      status === HttpStatus.CONFLICT ? 'Conflict in Monite' : 'Monite rejected the request',
    );
  }
  if (status !== undefined) return answer(HttpStatus.BAD_GATEWAY, 'Monite answered unexpectedly');
  return answer(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error');
}
