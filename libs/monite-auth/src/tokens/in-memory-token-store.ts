import { LRUCache } from 'lru-cache';
import { systemClock, type MoniteClock } from './monite-clock.js';
import type { MoniteTokenStore, StoredToken } from './monite-token-store.js';
import { isEntityUserKey } from './token-cache-key.js';

/** Wall-versus-monotonic differences up to this are drift, not a clock set back. */
const CLOCK_DRIFT_TOLERANCE_MS = 1_000;

export interface InMemoryTokenStoreOptions {
  /** Most entity-user tokens kept; the least recently used go first. Default 10,000. */
  maxEntityUserTokens?: number;
  /** Most other (partner) tokens kept, in a separate LRU that user churn never touches. Default 100. */
  maxPartnerTokens?: number;
  /** Wall and monotonic time. Default: the system clock. */
  clock?: Pick<MoniteClock, 'now' | 'monotonic'>;
  /** Which keys hold entity-user tokens. Default: keys built by the token service. */
  isEntityUserKey?: (key: string) => boolean;
}

/**
 * The default {@link MoniteTokenStore}: two bounded LRUs (entity users; partner) in this process.
 * Entries expire on monotonic time, so a wall clock set back an hour cannot keep a token past its
 * real expiry, and are indexed by token value so a revocation finds every copy. Everything lives in
 * private fields: inspecting or serialising the store shows no token.
 */
export class InMemoryTokenStore implements MoniteTokenStore {
  readonly #userTokens: LRUCache<string, StoredToken>;
  readonly #otherTokens: LRUCache<string, StoredToken>;
  /** access token -> key(s) holding it; a Set only in the rare case of one token under two keys. */
  readonly #keysByToken = new Map<string, string | Set<string>>();
  readonly #clock: Pick<MoniteClock, 'now' | 'monotonic'>;
  readonly #isUserKey: (key: string) => boolean;

  constructor(options: InMemoryTokenStoreOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.#clock = clock;
    this.#isUserKey = options.isEntityUserKey ?? isEntityUserKey;
    const common = {
      perf: { now: () => clock.monotonic() },
      ttlResolution: 0,
      dispose: (token: StoredToken, key: string) => this.#unindex(token.accessToken, key),
    };
    this.#userTokens = new LRUCache({ ...common, max: options.maxEntityUserTokens ?? 10_000 });
    this.#otherTokens = new LRUCache({ ...common, max: options.maxPartnerTokens ?? 100 });
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return this.peek(key);
  }

  /** The same as `get`, synchronously: the token service's fast path for a warm cache. */
  peek(key: string): StoredToken | undefined {
    const cache = this.#cacheFor(key);
    const token = cache.get(key);
    if (token === undefined) return undefined;
    const now = this.#clock.now();
    if (now >= token.expiresAt) {
      cache.delete(key);
      return undefined;
    }
    // The wall clock went back since the token was stored: trust elapsed (monotonic) time instead.
    // Wall and monotonic clocks drift apart by a few ms in normal operation; that is not a jump,
    // and the token is served as stored (the same `expiresAt` on every read).
    const expiresByElapsed = now + cache.getRemainingTTL(key);
    if (expiresByElapsed <= now) {
      cache.delete(key);
      return undefined;
    }
    const shift = Math.ceil(token.expiresAt - expiresByElapsed);
    if (shift <= CLOCK_DRIFT_TOLERANCE_MS) return token;
    return { ...token, expiresAt: token.expiresAt - shift, refreshAt: token.refreshAt - shift };
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const cache = this.#cacheFor(key);
    const ttl = Math.floor(token.expiresAt - this.#clock.now());
    if (ttl <= 0) {
      cache.delete(key);
      return;
    }
    cache.set(key, Object.freeze({ ...token }), { ttl });
    this.#index(token.accessToken, key);
  }

  async delete(key: string): Promise<void> {
    this.#cacheFor(key).delete(key);
  }

  /** Every entry holding `accessToken`, found through the index, and the entry at `key` if it holds it. */
  async deleteToken(accessToken: string, key?: string): Promise<void> {
    const indexed = this.#keysByToken.get(accessToken);
    const keys = indexed === undefined ? [] : typeof indexed === 'string' ? [indexed] : [...indexed];
    if (key !== undefined) keys.push(key);
    for (const candidate of keys) {
      const cache = this.#cacheFor(candidate);
      if (cache.peek(candidate, { allowStale: true })?.accessToken === accessToken) cache.delete(candidate);
    }
    this.#keysByToken.delete(accessToken);
  }

  /** Entries held now (expired ones linger until read or pushed out by the LRU bound). */
  get size(): { entityUserTokens: number; partnerTokens: number } {
    return { entityUserTokens: this.#userTokens.size, partnerTokens: this.#otherTokens.size };
  }

  /** Drops everything. */
  clear(): void {
    this.#userTokens.clear();
    this.#otherTokens.clear();
    this.#keysByToken.clear();
  }

  #cacheFor(key: string): LRUCache<string, StoredToken> {
    return this.#isUserKey(key) ? this.#userTokens : this.#otherTokens;
  }

  #index(accessToken: string, key: string): void {
    const keys = this.#keysByToken.get(accessToken);
    if (keys === undefined) this.#keysByToken.set(accessToken, key);
    else if (typeof keys === 'string') {
      if (keys !== key) this.#keysByToken.set(accessToken, new Set([keys, key]));
    } else keys.add(key);
  }

  #unindex(accessToken: string, key: string): void {
    const keys = this.#keysByToken.get(accessToken);
    if (keys === key) this.#keysByToken.delete(accessToken);
    else if (keys instanceof Set) {
      keys.delete(key);
      if (keys.size === 1) this.#keysByToken.set(accessToken, [...keys][0]!);
    }
  }
}
