import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as the token service sees it. Wall time dates tokens (`expiresAt` is epoch ms, shared with
 * other replicas through a store); monotonic time measures durations, so a wall-clock jump can
 * neither keep a token forever nor make a request look slower than it was.
 */
export interface MoniteClock {
  /** Wall clock, epoch milliseconds. */
  now(): number;
  /** Milliseconds from an arbitrary origin; never goes backwards. */
  monotonic(): number;
  /** Resolves after `ms` (retry backoff); rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: MoniteClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, { signal });
  },
};

/** Injection token of the {@link MoniteClock} (tests swap in a virtual one). */
export const MONITE_AUTH_CLOCK = Symbol('MONITE_AUTH_CLOCK');
