import type { HttpService } from '@nestjs/axios';
import type { AxiosResponseTransformer } from 'axios';
import { firstValueFrom } from 'rxjs';

/** One request to Monite as it goes on the wire. */
export interface MoniteExchangeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Deadline of the exchange, from sending to the last byte of the answer (real time). */
  timeoutMs: number;
  /** Largest answer read (axios counts decompressed bytes); a longer one is cut off. */
  maxResponseBytes: number;
}

/** What one exchange came back with; never an axios object. */
export type MoniteExchangeResult =
  | { kind: 'response'; status: number; retryAfter?: string; body: string }
  /**
   * No usable answer. `code`: `ETIMEDOUT` (the deadline passed), `ETOOLARGE` (the answer exceeded
   * `maxResponseBytes`), or the transport's own code (`ECONNRESET`, ...; `ENETWORK` when it has none).
   */
  | { kind: 'network'; code: string }
  /** `signal` aborted (the caller, or the module shutting down). */
  | { kind: 'aborted' };

const keepText: AxiosResponseTransformer = (data: unknown) => data;

/**
 * One HTTP exchange with Monite on `@nestjs/axios`, shared by the token endpoint client and
 * `MoniteClient`: every status read as text (axios neither throws on 4xx/5xx nor guesses at JSON),
 * no redirect followed (it would carry the credentials or the bearer token elsewhere), a total
 * deadline and a size cap. Everything axios throws is reduced to a short code: its error holds the
 * request config, headers and body included.
 */
export async function exchangeWithMonite(
  http: HttpService,
  request: MoniteExchangeRequest,
  signal: AbortSignal,
): Promise<MoniteExchangeResult> {
  // A timer cleared as soon as the exchange ends, rather than a timeout signal left to run out.
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
        responseType: 'text',
        transformResponse: keepText,
        validateStatus: () => true,
        maxRedirects: 0,
        maxContentLength: request.maxResponseBytes,
        maxBodyLength: request.maxResponseBytes,
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
    if (deadline.signal.aborted) return { kind: 'network', code: 'ETIMEDOUT' };
    return { kind: 'network', code: isTooLarge(error) ? 'ETOOLARGE' : errorCode(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** axios' "maxContentLength size of N exceeded" (or the body limit of its follow-redirects layer). */
function isTooLarge(error: unknown): boolean {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
  };
  if (code === 'ERR_FR_MAX_BODY_LENGTH_EXCEEDED') return true;
  return code === 'ERR_BAD_RESPONSE' && typeof message === 'string' && message.includes('maxContentLength');
}

/** The error's `code` (e.g. `ECONNRESET`) when it looks like one; nothing else is read from it. */
function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : 'ENETWORK';
}
