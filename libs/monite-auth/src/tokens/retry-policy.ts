import type { MoniteRetryOptions } from '../monite-auth.options.js';
import { parseRetryAfterMs } from '../errors/monite-error-response.js';

/** What one failed attempt looked like: an HTTP status, or no answer at all (network error, timeout). */
export interface FailedAttempt {
  /** HTTP status; `undefined` when the server never answered. */
  status?: number;
  /** The raw `Retry-After` header, if any. */
  retryAfter?: string;
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  /** `retryAfterMs`: what the server asked for, when it did (reported on the error). */
  | { retry: false; retryAfterMs?: number };

/**
 * When to try again. 429 waits `Retry-After` (seconds or HTTP date) up to `maxRetryAfterMs`;
 * 5xx, 408 and network errors back off exponentially with full jitter; everything else
 * (400, 401, 403, 404, 409, 422, ...) is final: repeating bad credentials never helps.
 */
export class RetryPolicy {
  constructor(
    private readonly options: Readonly<Required<MoniteRetryOptions>>,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * @param attempt zero-based index of the attempt that just failed
   * @param now wall-clock epoch ms, to read an HTTP-date `Retry-After`
   */
  decide(failure: FailedAttempt, attempt: number, now: number): RetryDecision {
    const retryAfterMs = parseRetryAfterMs(failure.retryAfter, now);
    const retryable = failure.status === undefined || isRetryableStatus(failure.status);
    if (!retryable || attempt >= this.options.maxRetries) return { retry: false, retryAfterMs };

    if (retryAfterMs !== undefined && (failure.status === 429 || failure.status === 503)) {
      if (retryAfterMs > this.options.maxRetryAfterMs) return { retry: false, retryAfterMs };
      return { retry: true, delayMs: retryAfterMs };
    }
    return { retry: true, delayMs: this.backoff(attempt) };
  }

  /**
   * The longest the waits between the attempts of one call can add up to: per retry, the larger of
   * its backoff cap and the longest `Retry-After` honoured.
   */
  maxTotalDelayMs(): number {
    const { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.options;
    let total = 0;
    for (let attempt = 0; attempt < maxRetries; attempt++) {
      total += Math.max(Math.min(maxDelayMs, baseDelayMs * 2 ** attempt), maxRetryAfterMs);
    }
    return total;
  }

  /** Full jitter (uniform in [0, cap]): spreads the retries of many replicas instead of syncing them. */
  backoff(attempt: number): number {
    const cap = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempt);
    return Math.floor(this.random() * (cap + 1));
  }
}

/** 429, 408 and 5xx other than 501 (not implemented) and 505 (HTTP version) are worth repeating. */
export function isRetryableStatus(status: number): boolean {
  if (status === 429 || status === 408) return true;
  return status >= 500 && status <= 599 && status !== 501 && status !== 505;
}
