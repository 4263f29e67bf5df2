import {
  MoniteAuthError,
  MoniteAuthenticationError,
  MoniteNotFoundError,
  MonitePermissionError,
  MoniteRateLimitError,
  MoniteUnavailableError,
  MoniteValidationError,
} from './errors.js';

/** What Monite said in an error body, whichever of its shapes it used. */
export interface MoniteErrorBody {
  message?: string;
  code?: string;
}

/**
 * Reads Monite's error bodies: `{"error": {"message", "type"}}`, FastAPI's 422
 * `{"detail": [{"loc", "msg", "type"}]}` or `{"detail": "..."}`, and OAuth2's
 * `{"error_code", "error_message"}`. Anything else yields nothing: a body we do not recognise is
 * never quoted, it could echo what we sent.
 */
export function readMoniteErrorBody(body: unknown): MoniteErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'object' && error !== null) {
    const { message, type } = error as Record<string, unknown>;
    return { message: asText(message), code: asText(type) };
  }
  if (typeof record.error_message === 'string' || typeof record.error_code === 'string') {
    return { message: asText(record.error_message), code: asText(record.error_code) };
  }
  if (typeof record.detail === 'string') return { message: asText(record.detail) };
  if (Array.isArray(record.detail)) {
    const messages = record.detail
      .map((item) => {
        if (typeof item !== 'object' || item === null) return undefined;
        const { loc, msg } = item as Record<string, unknown>;
        const where = Array.isArray(loc)
          ? loc.filter((part) => typeof part !== 'object').join('.')
          : undefined;
        const text = asText(msg);
        return text && where ? `${where}: ${text}` : text;
      })
      .filter((text): text is string => text !== undefined);
    return { message: messages.length > 0 ? messages.join('; ') : undefined, code: 'validation_error' };
  }
  return {};
}

/** Monite answers some permission failures with 409 and `Action {action} for {object_type} not allowed`. */
export function isPermissionConflict(status: number, message: string | undefined): boolean {
  return status === 409 && message !== undefined && /\bnot allowed\b/i.test(message);
}

/** Parses `Retry-After` (RFC 9110 10.2.3): delay-seconds or an HTTP date. Undefined when absent or invalid. */
export function parseRetryAfterMs(value: unknown, now: number = Date.now()): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The library error for a non-2xx answer to a Monite API call (not the token endpoint). */
export function moniteErrorFromResponse(
  status: number,
  body: unknown,
  retryAfterHeader?: unknown,
): MoniteAuthError {
  const { message, code } = readMoniteErrorBody(body);
  const details = { status, moniteMessage: message, code };
  const summary = `Monite answered ${status}${message ? `: ${message}` : ''}`;
  if (status === 401) return new MoniteAuthenticationError(summary, details);
  if (status === 403 || isPermissionConflict(status, message))
    return new MonitePermissionError(summary, details);
  if (status === 404) return new MoniteNotFoundError(summary, details);
  if (status === 400 || status === 422) return new MoniteValidationError(summary, details);
  if (status === 429) {
    return new MoniteRateLimitError(summary, {
      ...details,
      retryAfterMs: parseRetryAfterMs(retryAfterHeader),
    });
  }
  if (status >= 500) return new MoniteUnavailableError(summary, details);
  return new MoniteAuthError(summary, details);
}

/** A non-empty string, trimmed to a length fit for a message; anything else is dropped. */
function asText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text.slice(0, 500);
}
