import type { MoniteClock } from './monite-clock.js';

/** When a 429 that ended the retries said nothing about how long to wait: Monite limits per second. */
export const DEFAULT_RATE_LIMIT_WINDOW_MS = 1_000;

/**
 * Remembers a 429 that ended the retries: until the `Retry-After` it named has passed, no new token
 * request is sent for this API client (Monite limits per client, so the window holds for every key).
 * Measured on the clock's monotonic time.
 */
export class RateLimitWindow {
  private until = Number.NEGATIVE_INFINITY;

  constructor(private readonly clock: Pick<MoniteClock, 'monotonic'>) {}

  /** Opens (or extends) the window for `retryAfterMs` from now. */
  open(retryAfterMs: number | undefined): void {
    const until = this.clock.monotonic() + (retryAfterMs ?? DEFAULT_RATE_LIMIT_WINDOW_MS);
    if (until > this.until) this.until = until;
  }

  /** Milliseconds until the window closes; 0 when it is not open. */
  remainingMs(): number {
    const left = this.until - this.clock.monotonic();
    return left > 0 ? Math.ceil(left) : 0;
  }
}
