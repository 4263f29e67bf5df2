import { MoniteUnavailableError } from '../errors/index.js';
import type { MoniteClock } from '../tokens/monite-clock.js';

/** What a cancelled wait turns into: nothing, ever (the work it raced has settled already). */
const NEVER = new Promise<never>(() => undefined);

/**
 * `work`'s outcome, or a `MoniteUnavailableError` ("`what` within `ms` ms") once `ms` have passed
 * on `clock`, whichever comes first. The wait is cancelled as soon as the race is decided, so no
 * timer outlives it, and a virtual clock in tests governs it like every other wait of the library.
 */
export async function withinDeadline<T>(
  work: PromiseLike<T>,
  ms: number,
  clock: MoniteClock,
  what: string,
): Promise<T> {
  const cancel = new AbortController();
  const expired = clock.sleep(ms, cancel.signal).then(
    () => Promise.reject(new MoniteUnavailableError(`${what} within ${ms} ms`)),
    () => NEVER,
  );
  try {
    return await Promise.race([work, expired]);
  } finally {
    cancel.abort();
  }
}
