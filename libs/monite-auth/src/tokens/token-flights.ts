import type { StoredToken } from './monite-token-store.js';

/** One token request shared by every caller of a key. */
export interface TokenFlight {
  readonly promise: Promise<StoredToken>;
  /** Set by a revocation or invalidation of its key: the result goes to its waiters and is not kept. */
  readonly discarded: boolean;
}

interface MutableFlight {
  promise: Promise<StoredToken>;
  discarded: boolean;
}

/**
 * The token requests in flight, one per key at most (single flight). Private: a flight's promise,
 * once settled, would show its token to `util.inspect`.
 */
export class TokenFlights {
  readonly #flights = new Map<string, MutableFlight>();

  get(key: string): TokenFlight | undefined {
    return this.#flights.get(key);
  }

  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /** Starts `run` as the key's flight; it leaves the map when it settles (unless discarded before). */
  start(key: string, run: (flight: TokenFlight) => Promise<StoredToken>): TokenFlight {
    const flight: MutableFlight = { promise: undefined as never, discarded: false };
    flight.promise = run(flight).finally(() => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    });
    this.#flights.set(key, flight);
    return flight;
  }

  /** The key's flight, if any, keeps running for its waiters but will not keep its token. */
  discard(key: string): void {
    const flight = this.#flights.get(key);
    if (flight === undefined) return;
    flight.discarded = true;
    this.#flights.delete(key);
  }
}
