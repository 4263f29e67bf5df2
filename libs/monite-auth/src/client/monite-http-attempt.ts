import type { HttpService } from '@nestjs/axios';
import type { AxiosResponseTransformer } from 'axios';
import { firstValueFrom } from 'rxjs';
import { MoniteUnavailableError } from '../errors/index.js';
import type { MoniteHttpMethod } from './monite-request-options.js';

/** One attempt of a call, as it goes on the wire. */
export interface MoniteWireRequest {
  /** What is attempted, for messages (`GET /payables/{id}`): the template, not the values. */
  operation: string;
  method: MoniteHttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Deadline of the attempt, from sending to the last byte of the answer. */
  timeoutMs: number;
  maxResponseBytes: number;
}

/** What one attempt came back with. */
export type MoniteAttemptResult =
  | { kind: 'response'; status: number; retryAfter?: string; body: string }
  /** No usable answer; `retryable` when trying again can help (a timeout, a reset connection). */
  | { kind: 'failed'; error: MoniteUnavailableError; retryable: boolean }
  /** The call's signal aborted (its caller, or the module shutting down). */
  | { kind: 'aborted' };

/** Headers the client owns or the transport frames; a caller's `headers` cannot set them. */
const RESERVED_HEADERS = new Set([
  'authorization',
  'x-monite-version',
  'x-monite-entity-id',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
]);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const keepText: AxiosResponseTransformer = (data: unknown) => data;

/** The caller's extra headers, without the reserved ones; a malformed one is a `TypeError`. */
export function callerHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    // eslint-disable-next-line no-control-regex
    if (!HEADER_NAME.test(name) || typeof value !== 'string' || /[\r\n\u0000]/.test(value)) {
      throw new TypeError('nestjs-monite-auth: MoniteClient: options.headers holds an invalid header');
    }
    if (!RESERVED_HEADERS.has(name.toLowerCase())) result[name] = value;
  }
  return result;
}

/**
 * Sends one attempt. Its deadline covers the whole exchange, and the answer is read up to
 * `maxResponseBytes` (axios counts decompressed bytes). Everything axios throws is caught and
 * reduced to a short code: its error holds the request config, headers included.
 */
export async function sendMoniteAttempt(
  http: HttpService,
  request: MoniteWireRequest,
  signal: AbortSignal,
): Promise<MoniteAttemptResult> {
  // A timer cleared as soon as the attempt ends, rather than a timeout signal left to run out:
  // a busy app makes many calls.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), request.timeoutMs);
  try {
    const response = await firstValueFrom(
      http.request<string>({
        method: request.method,
        url: request.url,
        headers: request.headers,
        data: request.body,
        signal: AbortSignal.any([signal, deadline.signal]),
        // Every status is read and every body parsed here: axios neither throws on 4xx/5xx nor guesses at JSON.
        responseType: 'text',
        transformResponse: keepText,
        validateStatus: () => true,
        // A redirect would carry the bearer token to another URL: never follow one.
        maxRedirects: 0,
        maxContentLength: request.maxResponseBytes,
      }),
    );
    const retryAfter = response.headers['retry-after'];
    return {
      kind: 'response',
      status: response.status,
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      body: typeof response.data === 'string' ? response.data : '',
    };
  } catch (error) {
    if (signal.aborted) return { kind: 'aborted' };
    const what = request.operation;
    if (deadline.signal.aborted) {
      const message = `nestjs-monite-auth: ${what} failed: no answer within ${request.timeoutMs} ms`;
      return {
        kind: 'failed',
        error: new MoniteUnavailableError(message, { code: 'ETIMEDOUT' }),
        retryable: true,
      };
    }
    if (isTooLarge(error)) {
      const message = `nestjs-monite-auth: ${what} failed: Monite's answer exceeds ${request.maxResponseBytes} bytes`;
      const tooLarge = new MoniteUnavailableError(message, { code: 'ERESPONSETOOLARGE' });
      return { kind: 'failed', error: tooLarge, retryable: false };
    }
    const code = errorCode(error);
    const message = `nestjs-monite-auth: ${what} failed: Monite could not be reached (${code})`;
    return { kind: 'failed', error: new MoniteUnavailableError(message, { code }), retryable: true };
  } finally {
    clearTimeout(timer);
  }
}

/** axios' "maxContentLength size of N exceeded". */
function isTooLarge(error: unknown): boolean {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  return code === 'ERR_BAD_RESPONSE' && typeof message === 'string' && message.includes('maxContentLength');
}

/** The error's `code` (e.g. `ECONNRESET`) when it looks like one; nothing else is read from it. */
function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'ENETWORK';
}
