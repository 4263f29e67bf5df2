import { LRUCache } from 'lru-cache';
import type { MoniteClock } from './monite-clock.js';
import type { StoredToken } from './monite-token-store.js';

/**
 * What the service knows about whose tokens are whose: the key each token fetched or served here
 * is cached under (until it expires), and the entity of each user whose token was asked for with
 * one. Both bounded; both private (token values are keys here).
 */
export class TokenOwners {
  readonly #keyByToken: LRUCache<string, string>;
  /** Made on first use: lru-cache sizes its arrays for `max` up front, and many apps never pass an entity. */
  #entityOfUser: LRUCache<string, string> | undefined;

  constructor(
    private readonly max: number,
    private readonly clock: Pick<MoniteClock, 'now' | 'monotonic'>,
  ) {
    this.#keyByToken = new LRUCache({ max, perf: { now: () => clock.monotonic() }, ttlResolution: 0 });
  }

  /** Records which key a token is cached under, until it expires. */
  remember(token: StoredToken, key: string): void {
    if (this.#keyByToken.get(token.accessToken) === key) return;
    const ttl = Math.max(1, token.expiresAt - this.clock.now());
    this.#keyByToken.set(token.accessToken, key, { ttl });
  }

  /** The key a token was cached under here, if this process knows it. */
  keyOf(accessToken: string): string | undefined {
    return this.#keyByToken.get(accessToken);
  }

  /** Records an entity user's entity (ids normalised). */
  noteEntity(entityUserId: string, entityId: string): void {
    this.#entityOfUser ??= new LRUCache({ max: this.max });
    if (this.#entityOfUser.get(entityUserId) !== entityId) this.#entityOfUser.set(entityUserId, entityId);
  }

  /** The users recorded for an entity. */
  usersOf(entityId: string): string[] {
    const users: string[] = [];
    for (const [user, entity] of this.#entityOfUser?.entries() ?? [])
      if (entity === entityId) users.push(user);
    return users;
  }
}
