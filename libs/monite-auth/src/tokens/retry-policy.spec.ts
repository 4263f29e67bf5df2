import { RetryPolicy } from './retry-policy.js';

const options = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 };
const NOW = Date.UTC(2030, 0, 1);

describe('RetryPolicy', () => {
  it('21: 5xx and network errors back off exponentially with full jitter, capped at maxDelayMs', () => {
    const highest = new RetryPolicy(options, () => 0.999_999);
    const lowest = new RetryPolicy(options, () => 0);
    expect([0, 1, 2, 3, 4, 5].map((attempt) => highest.backoff(attempt))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
    expect([0, 1, 2].map((attempt) => lowest.backoff(attempt))).toEqual([0, 0, 0]);
    expect(highest.decide({ status: 503 }, 0, NOW)).toEqual({ retry: true, delayMs: 100 });
    expect(highest.decide({}, 1, NOW)).toEqual({ retry: true, delayMs: 200 });
    expect(highest.decide({ status: 502 }, 3, NOW)).toEqual({ retry: false });
  });

  it('20: 429 waits Retry-After (seconds or HTTP date); beyond maxRetryAfterMs it stops and reports it', () => {
    const policy = new RetryPolicy(options, () => 0.5);
    expect(policy.decide({ status: 429, retryAfter: '2' }, 0, NOW)).toEqual({ retry: true, delayMs: 2_000 });
    const date = new Date(NOW + 7_000).toUTCString();
    expect(policy.decide({ status: 429, retryAfter: date }, 0, NOW)).toEqual({ retry: true, delayMs: 7_000 });
    expect(policy.decide({ status: 429, retryAfter: '31' }, 0, NOW)).toEqual({
      retry: false,
      retryAfterMs: 31_000,
    });
    expect(policy.decide({ status: 429, retryAfter: '2' }, 3, NOW)).toEqual({
      retry: false,
      retryAfterMs: 2_000,
    });
    // Unreadable Retry-After: back off as for a 5xx.
    expect(policy.decide({ status: 429, retryAfter: '2.5' }, 0, NOW)).toEqual({ retry: true, delayMs: 50 });
  });

  it.each([400, 401, 403, 404, 409, 422, 501])('22: %i is never retried', (status) => {
    expect(new RetryPolicy(options).decide({ status }, 0, NOW)).toEqual({ retry: false });
  });

  it('47: the longest total wait of one call: per retry, the larger of its backoff cap and maxRetryAfterMs', () => {
    expect(new RetryPolicy(options).maxTotalDelayMs()).toBe(3 * 30_000);
    const small = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 150 };
    expect(new RetryPolicy(small).maxTotalDelayMs()).toBe(150 + 200 + 400);
    expect(new RetryPolicy({ ...small, maxRetries: 0 }).maxTotalDelayMs()).toBe(0);
  });
});
