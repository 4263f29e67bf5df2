import type { MoniteAccessToken } from './monite-access-token.js';
import type { MoniteInvalidation } from './monite-invalidations.js';

/** A token as kept in a store: the token plus when the service should start refreshing it. */
export interface StoredToken extends MoniteAccessToken {
  /** Epoch milliseconds from which a background refresh starts; always before `expiresAt`. */
  refreshAt: number;
}

/**
 * Where tokens are cached. The in-memory store is the default; `RedisTokenStore` shares tokens
 * between replicas. Keys are built by the token service (base URL, client id, grant, entity user,
 * API version) and are opaque to the store. A store must drop an entry by `expiresAt` at the latest.
 */
export interface MoniteTokenStore {
  get(key: string): Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Evict every entry holding this access token (revocation), whatever its key. When the caller
   * knows the key the token was stored under (`key`), the entry at that key is also deleted if it
   * still holds this token, even should the store's index by token have lost it.
   */
  deleteToken(accessToken: string, key?: string): Promise<void>;
  /**
   * Optional: `get` answered synchronously from this process's memory, or `undefined` when it
   * cannot say without I/O. Lets a warm token be served without a chain of promises. Must not throw.
   */
  peek?(key: string): StoredToken | undefined;
  /**
   * Optional, for stores shared by several processes: lets one process mint a key's token while
   * the others wait for it (`RedisTokenStore` takes a short lock). Called on a miss; `mint`
   * requests a token from Monite and stores it. Resolves to the token minted here, or to the one
   * another process stored meanwhile. Without it, each process mints on its own.
   */
  coordinateMint?(
    key: string,
    mint: () => Promise<StoredToken>,
    limits?: MoniteMintLimits,
  ): Promise<StoredToken>;
  /**
   * Optional, for stores shared by several processes: sends an invalidation (a revoked token's user,
   * `invalidateEntityUser`, `invalidateEntity`) to every other process sharing the store, so their
   * caches (compiled roles) drop it too. The sender has already applied it locally.
   */
  publishInvalidation?(invalidation: MoniteInvalidation): Promise<void>;
  /**
   * Optional, with `publishInvalidation`: calls `listener` with what other processes published, and
   * with `{ kind: 'all' }` whenever this process may have missed some (a reconnect, an outage served
   * from memory). Returns the way to stop listening.
   */
  subscribeInvalidations?(listener: (invalidation: MoniteInvalidation) => void): () => void;
  /**
   * Optional: called once by the token service with key material derived from the client
   * credentials (HKDF), for stores that seal values at rest when no key of their own is configured.
   * Every replica of one Monite client derives the same material; it is not the secret itself.
   */
  useDerivedSealingKey?(keyMaterial: Uint8Array): void;
}

/** What the token service tells `coordinateMint` about its own bounds. */
export interface MoniteMintLimits {
  /**
   * The longest one mint can take (every attempt's timeout, plus the backoff between attempts):
   * a process waiting for another one's mint should wait at least this long before minting itself.
   */
  maxMintMs: number;
}

/** Injection token of the store, same name as the interface (the way `@nestjs/throttler` does its storage). */
export const MoniteTokenStore = Symbol('MoniteTokenStore');
