import type { LoggerService } from '@nestjs/common';
import type { MoniteAuthError } from '../errors/index.js';
import type { MoniteClock } from '../tokens/monite-clock.js';
import type { FailedAttempt, RetryPolicy } from '../tokens/retry-policy.js';
import type { MoniteAttemptResult } from './monite-http-attempt.js';
import type { MoniteHttpMethod } from './monite-request-options.js';

/** A 2xx answer. */
export type MoniteSuccess = Extract<MoniteAttemptResult, { kind: 'response' }>;

/** The steps of one call, as the loop drives them. */
export interface MoniteCallSteps {
  /** Sends one attempt with the current credentials. */
  send(): Promise<MoniteAttemptResult>;
  /** After the first 401: drops the refused token and takes a new one. */
  renewCredentials(): Promise<void>;
  /** The library error for a non-2xx answer. */
  errorFor(answer: MoniteSuccess): MoniteAuthError;
  /** The error of a call whose signal aborted. */
  aborted(): MoniteAuthError;
  /** What is attempted, for log lines (`GET /payables/{id}`). */
  readonly operation?: string;
}

/**
 * Methods whose repetition cannot do the work twice (RFC 9110 9.2.2). Only these are retried:
 * a POST or PATCH that timed out or got a 5xx may have been carried out.
 */
const IDEMPOTENT_METHODS: ReadonlySet<MoniteHttpMethod> = new Set(['GET', 'PUT', 'DELETE']);

/**
 * Drives the attempts of one call: replays once after a 401 with a new token, and retries
 * idempotent calls through the same `RetryPolicy` as the token endpoint (429 and 503 after
 * `Retry-After` up to `maxRetryAfterMs`; other 5xx, 408, timeouts and network errors with
 * jittered backoff; at most `maxRetries` times), waiting on the injected clock.
 */
export class MoniteCallLoop {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly clock: MoniteClock,
    private readonly logger?: LoggerService,
  ) {}

  /** Resolves to the 2xx answer; rejects with the library error of the last attempt. */
  async run(method: MoniteHttpMethod, steps: MoniteCallSteps, signal: AbortSignal): Promise<MoniteSuccess> {
    let renewed = false;
    let retries = 0;
    for (;;) {
      const result = await steps.send();
      if (result.kind === 'aborted') throw steps.aborted();
      if (result.kind === 'response' && result.status >= 200 && result.status < 300) return result;
      if (result.kind === 'response' && result.status === 401 && !renewed) {
        // The token died before its time (revoked, rotated): one replay with a new one, not a retry.
        renewed = true;
        await abortable(steps.renewCredentials(), signal, () => steps.aborted());
        continue;
      }
      const error = result.kind === 'response' ? steps.errorFor(result) : result.error;
      const failure: FailedAttempt =
        result.kind === 'response' ? { status: result.status, retryAfter: result.retryAfter } : {};
      const retryable = result.kind === 'response' || result.retryable;
      const decision =
        retryable && IDEMPOTENT_METHODS.has(method)
          ? this.policy.decide(failure, retries, this.clock.now())
          : { retry: false as const };
      if (!decision.retry) throw error;
      const what = failure.status === undefined ? (error.code ?? 'no answer') : `status ${failure.status}`;
      this.logger?.debug?.(
        `${steps.operation ?? method}: ${what} on attempt ${retries + 1}; retrying in ${decision.delayMs} ms`,
      );
      try {
        await this.clock.sleep(decision.delayMs, signal);
      } catch {
        throw steps.aborted();
      }
      retries += 1;
    }
  }
}

/** `work`, or the abort error as soon as `signal` aborts (the work itself goes on, for others). */
export function abortable<T>(work: Promise<T>, signal: AbortSignal, aborted: () => Error): Promise<T> {
  if (signal.aborted) return Promise.reject(aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
