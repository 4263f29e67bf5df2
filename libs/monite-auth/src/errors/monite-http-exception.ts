import { HttpException, HttpStatus } from '@nestjs/common';
import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteValidationError,
} from './monite-auth.errors.js';

/** Body of the HTTP error a controller's caller sees when a Monite call fails. */
export interface MoniteHttpErrorBody {
  statusCode: number;
  /** Monite's own message when it sent one, else a short description. */
  message: string;
  error: string;
  /** The status Monite answered with, when it answered. */
  moniteStatus?: number;
  /** Seconds to wait before trying again (429). */
  retryAfterSeconds?: number;
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
}

/**
 * Maps a library error to the HTTP status our caller should see. Monite's 401 after a token
 * refresh, and any failure to obtain a token, are our side's problem (misconfiguration or an
 * outage), so they become 502/503, never a 401 that would tell the end user to log in again.
 */
export function toMoniteHttpException(error: MoniteAuthError): MoniteHttpException {
  const moniteStatus = error.status;
  const describe = (statusCode: number, fallback: string, extra: Partial<MoniteHttpErrorBody> = {}) =>
    new MoniteHttpException(
      {
        statusCode,
        message: error.moniteMessage ?? fallback,
        error: HttpStatus[statusCode] ?? 'Error',
        ...(moniteStatus !== undefined ? { moniteStatus } : {}),
        ...extra,
      },
      error,
    );

  if (error instanceof MonitePermissionError)
    return describe(HttpStatus.FORBIDDEN, 'Monite denied this action');
  if (error instanceof MoniteNotFoundError) return describe(HttpStatus.NOT_FOUND, 'Not found in Monite');
  if (error instanceof MoniteValidationError) {
    const status = moniteStatus === 400 ? HttpStatus.BAD_REQUEST : HttpStatus.UNPROCESSABLE_ENTITY;
    return describe(status, 'Monite rejected the request');
  }
  if (error instanceof MoniteRateLimitError) {
    const retryAfterSeconds =
      error.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : undefined;
    return describe(HttpStatus.TOO_MANY_REQUESTS, 'Monite rate limit reached', { retryAfterSeconds });
  }
  if (error instanceof MoniteAuthenticationError) {
    return describe(HttpStatus.BAD_GATEWAY, 'Monite refused our credentials', {
      message: 'Monite refused our credentials',
    });
  }
  if (moniteStatus === HttpStatus.CONFLICT) return describe(HttpStatus.CONFLICT, 'Conflict in Monite');
  if (moniteStatus !== undefined && moniteStatus >= 400 && moniteStatus < 500) {
    return describe(moniteStatus, 'Monite rejected the request');
  }
  return describe(HttpStatus.SERVICE_UNAVAILABLE, 'Monite is unavailable');
}
