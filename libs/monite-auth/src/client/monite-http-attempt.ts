import type { HttpService } from '@nestjs/axios';
import { MoniteUnavailableError } from '../errors/index.js';
import {
  exchangeWithMonite,
  type MoniteExchangeRequest,
  type MoniteExchangeResult,
} from '../tokens/monite-http-exchange.js';

/** One attempt of a call, as it goes on the wire. */
export interface MoniteWireRequest extends MoniteExchangeRequest {
  /** What is attempted, for messages (`GET /payables/{id}`): the template, not the values. */
  operation: string;
}

/**
 * What one attempt came back with: the exchange's answer, or its abort (the call's signal: its
 * caller, or the module shutting down), with a network failure turned into the library's error.
 */
export type MoniteAttemptResult =
  | Exclude<MoniteExchangeResult, { kind: 'network' }>
  /** No usable answer; `retryable` when trying again can help (a timeout, a reset connection). */
  | { kind: 'failed'; error: MoniteUnavailableError; retryable: boolean };

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
 * Sends one attempt (`exchangeWithMonite`: a total deadline, the size cap, no axios object kept)
 * and turns a failure without an answer into the library's error, saying whether trying again
 * can help.
 */
export async function sendMoniteAttempt(
  http: HttpService,
  request: MoniteWireRequest,
  signal: AbortSignal,
): Promise<MoniteAttemptResult> {
  const result = await exchangeWithMonite(http, request, signal);
  if (result.kind !== 'network') return result;
  const what = `nestjs-monite-auth: ${request.operation} failed`;
  switch (result.code) {
    case 'ETIMEDOUT':
      return failed(`${what}: no answer within ${request.timeoutMs} ms`, result.code, true);
    case 'ETOOLARGE':
      return failed(`${what}: Monite's answer exceeds ${request.maxResponseBytes} bytes`, result.code, false);
    default:
      return failed(`${what}: Monite could not be reached (${result.code})`, result.code, true);
  }
}

function failed(message: string, code: string, retryable: boolean): MoniteAttemptResult {
  return { kind: 'failed', error: new MoniteUnavailableError(message, { code }), retryable };
}
