import type { EmulatorClock } from './clock.js';

/** The outcome of one request against the limiter, with what the headers need. */
export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Milliseconds until the current window ends. */
  resetMs: number;
}

interface Window {
  startedAt: number;
  used: number;
}

/**
 * A fixed window per client that starts at the client's first request, measured on the
 * emulator clock (so `advanceClock(1000)` opens a new window: tests need not sleep).
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: EmulatorClock,
  ) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('rateLimitPerSecond must be an integer >= 1 or false');
    if (!Number.isFinite(windowMs) || windowMs <= 0) throw new RangeError('rateLimitWindowMs must be > 0');
  }

  /** Counts one request for `client` and says whether it is within the limit. */
  hit(client: string): RateLimitDecision {
    const now = this.clock.now();
    let window = this.windows.get(client);
    if (!window || now - window.startedAt >= this.windowMs) {
      window = { startedAt: now, used: 0 };
      this.windows.set(client, window);
    }
    const resetMs = Math.max(0, window.startedAt + this.windowMs - now);
    if (window.used >= this.limit) return { allowed: false, limit: this.limit, remaining: 0, resetMs };
    window.used += 1;
    return { allowed: true, limit: this.limit, remaining: this.limit - window.used, resetMs };
  }

  clear(): void {
    this.windows.clear();
  }
}

/** Monite's rate-limit headers (Kong style), plus `Retry-After` on a refusal. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const resetSeconds = String(Math.max(1, Math.ceil(decision.resetMs / 1000)));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': resetSeconds,
    'X-RateLimit-Limit-Second': String(decision.limit),
    'X-RateLimit-Remaining-Second': String(decision.remaining),
  };
  if (!decision.allowed) headers['Retry-After'] = resetSeconds;
  return headers;
}
