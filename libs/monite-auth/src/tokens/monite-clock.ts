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
  /**
   * Optional: a signal that aborts (with a `TimeoutError`) once `ms` of monotonic time have passed,
   * like `AbortSignal.timeout`. Bounds waits that others end (a queue), where `sleep` would not do.
   * Without it (the system clock), the library uses a real timer.
   */
  timeout?(ms: number): AbortSignal;
}

/** The real clock. */
export const systemClock: MoniteClock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, { signal });
  },
};

/** A deadline: its signal aborts once the time is up; `dispose` ends its timer early. */
export interface ClockDeadline {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** Largest delay a Node.js timer takes (`setTimeout`'s upper bound; a longer one fires at once). */
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * A deadline `ms` of the clock's monotonic time from now: the clock's own `timeout` when it has one
 * (a virtual clock), else a real timer (the system clock's monotonic time is real time), cleared on
 * `dispose` so that a finished call leaves nothing pending.
 */
export function clockDeadline(clock: MoniteClock, ms: number): ClockDeadline {
  // Timers overflow past 2^31 - 1 ms and would then fire at once.
  const bounded = Math.min(Math.max(0, ms), MAX_TIMER_MS);
  if (clock.timeout !== undefined) return { signal: clock.timeout(bounded), dispose: () => undefined };
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The deadline passed', 'TimeoutError')),
    bounded,
  );
  timer.unref();
  return { signal: controller.signal, dispose: () => clearTimeout(timer) };
}

/** Injection token of the {@link MoniteClock} (tests swap in a virtual one). */
export const MONITE_AUTH_CLOCK = Symbol('MONITE_AUTH_CLOCK');
