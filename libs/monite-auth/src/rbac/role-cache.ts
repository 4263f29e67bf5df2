import type { Provider } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { CompiledRole } from './compiled-role.js';
import type { MoniteEntityUserRef } from '../monite-identity.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { MoniteInvalidations, type MoniteInvalidation } from '../tokens/monite-invalidations.js';

/** Where a cache miss gets a role from (`MoniteRoleLoader` in the module). */
export interface MoniteRoleSource {
  load(user: MoniteEntityUserRef): Promise<CompiledRole>;
}

/** Sizing of the cache; `now` is injectable for tests (milliseconds, monotonic; default `performance.now`). */
export interface MoniteRoleCacheSettings {
  /** How long a role is served from memory. 0: never (concurrent loads are still shared). */
  ttlMs: number;
  max: number;
  now?: () => number;
}

interface CachedRole {
  entityId: string;
  role: CompiledRole;
}

/**
 * Compiled roles per entity user: a bounded LRU with a TTL (a role changed in Monite takes effect
 * within `roleCacheTtlMs`), one load per user at a time (single flight), failures never cached.
 *
 * Keyed by entity user id with the entity kept beside the role, so the hot path builds no key string;
 * a hit for another entity is a miss.
 */
export class MoniteRoleCache {
  protected readonly roles: LRUCache<string, CachedRole>;
  /** False with a TTL of 0: every request loads the role (lru-cache would read 0 as "never expires"). */
  protected readonly caching: boolean;
  protected readonly inflight = new Map<string, Promise<CompiledRole>>();

  constructor({ ttlMs, max, now }: MoniteRoleCacheSettings) {
    this.caching = ttlMs > 0;
    this.roles = new LRUCache<string, CachedRole>({
      max,
      ttl: Math.max(ttlMs, 1),
      // A role past its TTL is never served, not even while it is being reloaded.
      allowStale: false,
      updateAgeOnGet: false,
      // An injected clock is read on every lookup (lru-cache otherwise reuses a reading for 1 ms).
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
    });
  }

  /** The cached role of this user, or undefined. Synchronous: the guard's hot path. */
  peek(user: MoniteEntityUserRef): CompiledRole | undefined {
    if (!this.caching) return undefined;
    const cached = this.roles.get(this.keyOf(user));
    return cached !== undefined && cached.entityId === user.entityId ? cached.role : undefined;
  }

  /**
   * The cached role, or one load from `source` shared by every concurrent caller for this user.
   * A failed load rejects every waiter and leaves nothing in the cache.
   */
  getOrLoad(user: MoniteEntityUserRef, source: MoniteRoleSource): Promise<CompiledRole> {
    const role = this.peek(user);
    if (role !== undefined) return Promise.resolve(role);
    const flightKey = `${user.entityId}\u0000${user.entityUserId}`;
    const running = this.inflight.get(flightKey);
    if (running !== undefined) return running;
    const load: Promise<CompiledRole> = loadFrom(source, user).then(
      (loaded) => {
        // Stored only if this is still the current load: an eviction meanwhile makes it stale.
        if (this.inflight.get(flightKey) === load) {
          this.inflight.delete(flightKey);
          if (this.caching) this.roles.set(this.keyOf(user), { entityId: user.entityId, role: loaded });
        }
        return loaded;
      },
      (error: unknown) => {
        if (this.inflight.get(flightKey) === load) this.inflight.delete(flightKey);
        throw error;
      },
    );
    this.inflight.set(flightKey, load);
    return load;
  }

  /** Forgets a user's role (a revoked token, a role changed by this app): the next request loads it again. */
  evict(entityUserId: string): void {
    this.roles.delete(entityUserId);
    // A load already running for this user may carry the old role: it must not be stored.
    for (const key of this.inflight.keys()) {
      if (key.endsWith(`\u0000${entityUserId}`)) this.inflight.delete(key);
    }
  }

  /** Forgets every role. */
  clear(): void {
    this.roles.clear();
    this.inflight.clear();
  }

  /** How many roles are cached (expired ones may still count until touched). */
  get size(): number {
    return this.roles.size;
  }

  /** A partner-token caller (no entity user) is cached per entity. */
  protected keyOf(user: MoniteEntityUserRef): string {
    return user.entityUserId || `\u0000partner:${user.entityId}`;
  }
}

/** Calls the source so that a synchronous throw becomes a rejection like any other failure. */
async function loadFrom(source: MoniteRoleSource, user: MoniteEntityUserRef): Promise<CompiledRole> {
  return source.load(user);
}

/** The module's cache, sized by `roleCacheTtlMs` and `roleCacheMax`, listening to invalidations. */
export const roleCacheProvider: Provider = {
  provide: MoniteRoleCache,
  useFactory: (options: ResolvedMoniteAuthOptions, invalidations: MoniteInvalidations) => {
    const cache = new MoniteRoleCache({ ttlMs: options.roleCacheTtlMs, max: options.roleCacheMax });
    invalidations.subscribe((invalidation: MoniteInvalidation) => {
      if (invalidation.kind === 'entity_user') cache.evict(invalidation.entityUserId);
      else cache.clear();
    });
    return cache;
  },
  inject: [MONITE_AUTH_RESOLVED_OPTIONS, MoniteInvalidations],
};
