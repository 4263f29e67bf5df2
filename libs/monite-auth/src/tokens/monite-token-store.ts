import type { MoniteAccessToken } from './monite-access-token.js';

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
  /** Evict every entry holding this access token (revocation), whatever its key. */
  deleteToken(accessToken: string): Promise<void>;
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
  coordinateMint?(key: string, mint: () => Promise<StoredToken>): Promise<StoredToken>;
}

/** Injection token of the store, same name as the interface (the way `@nestjs/throttler` does its storage). */
export const MoniteTokenStore = Symbol('MoniteTokenStore');
