import type { Provider } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { MoniteNotFoundError } from '../errors/index.js';
import { isMonitePartner, normalizeMoniteId, type MoniteCaller } from '../monite-identity.js';
import { MONITE_AUTH_RESOLVED_OPTIONS, type ResolvedMoniteAuthOptions } from '../monite-auth.options.js';
import { MONITE_AUTH_CLOCK, systemClock, type MoniteClock } from '../tokens/monite-clock.js';
import { MoniteInvalidations, type MoniteInvalidation } from '../tokens/monite-invalidations.js';
import type { CompiledRole } from './compiled-role.js';

/** Where a cache miss gets a role from (`MoniteRoleLoader` in the module). */
export interface MoniteRoleSource {
  load(caller: MoniteCaller): Promise<CompiledRole>;
}

/** Sizing of the cache and its time source. */
export interface MoniteRoleCacheSettings {
  /** How long a role is served from memory. 0: never (concurrent loads are still shared). */
  ttlMs: number;
  max: number;
  /** Time source (its `monotonic()`); default the system clock. */
  clock?: MoniteClock;
  /** A bare monotonic time source in ms, for tests; `clock` wins when both are given. */
  now?: () => number;
  /** How long an entity user Monite does not know is remembered as unknown. Default 60,000 ms. */
  unknownTtlMs?: number;
}

interface CachedRole {
  entityId: string;
  role: CompiledRole;
}

/** How long "Monite does not know this entity user" is trusted: a forged id costs Monite one call a minute. */
export const UNKNOWN_ENTITY_USER_TTL_MS = 60_000;

/**
 * Compiled roles per caller: a bounded LRU with a TTL (a role changed in Monite takes effect within
 * `roleCacheTtlMs`), one load per caller at a time (single flight), failures never cached, except
 * "Monite does not know this entity user" (a `MoniteNotFoundError`), remembered apart for a short
 * time so that a flood of forged ids neither reaches Monite nor evicts real users' roles.
 *
 * Keys are normalised ids (`normalizeMoniteId`): the entity user's id, or the entity for the
 * partner. The entity is kept beside each role, so a hit for another entity is a miss and
 * `evictEntity` finds an entity's roles.
 */
export class MoniteRoleCache {
  protected readonly roles: LRUCache<string, CachedRole>;
  protected readonly unknown: LRUCache<string, MoniteNotFoundError>;
  /** False with a TTL of 0: every request loads the role (lru-cache would read 0 as "never expires"). */
  protected readonly caching: boolean;
  protected readonly inflight = new Map<string, { entityId: string; load: Promise<CompiledRole> }>();

  constructor({
    ttlMs,
    max,
    clock,
    now,
    unknownTtlMs = UNKNOWN_ENTITY_USER_TTL_MS,
  }: MoniteRoleCacheSettings) {
    this.caching = ttlMs > 0;
    const time = timeSource(clock, now);
    this.roles = new LRUCache<string, CachedRole>({
      max,
      ttl: Math.max(ttlMs, 1),
      // A role past its TTL is never served, not even while it is being reloaded.
      allowStale: false,
      updateAgeOnGet: false,
      ...time,
    });
    this.unknown = new LRUCache<string, MoniteNotFoundError>({
      max,
      ttl: Math.max(unknownTtlMs, 1),
      allowStale: false,
      ...time,
    });
  }

  /**
   * The cached role of this caller, or undefined. Synchronous: the guard's hot path, so ids are
   * taken as given; the guard's come from `readMoniteCaller`, normalised.
   */
  peek(caller: MoniteCaller): CompiledRole | undefined {
    if (!this.caching) return undefined;
    const cached = this.roles.get(keyOf(caller));
    return cached !== undefined && cached.entityId === caller.entityId ? cached.role : undefined;
  }

  /**
   * Whether these exact strings are a cached entity user and its entity: then they are spelled as
   * `normalizeMoniteId` spells them (keys are stored normalised), and `readMoniteCaller` need not
   * scan them again (`MoniteCanonicalIds`). Bound, for passing as is.
   */
  readonly isCanonical = (entityUserId: string, entityId: string): boolean =>
    this.caching && this.roles.peek(entityUserId)?.entityId === entityId;

  /**
   * The cached role, or one load from `source` shared by every concurrent caller for this key.
   * A failed load rejects every waiter and leaves nothing in the cache; a caller Monite does not
   * know is answered from memory (the same `MoniteNotFoundError`) for a minute without a load.
   */
  getOrLoad(given: MoniteCaller, source: MoniteRoleSource): Promise<CompiledRole> {
    const caller = normalized(given);
    if (caller === undefined) return Promise.reject(new MoniteNotFoundError('Not a Monite entity user id'));
    const role = this.peek(caller);
    if (role !== undefined) return Promise.resolve(role);
    const key = keyOf(caller);
    const unknown = this.unknown.get(key);
    if (unknown !== undefined) return Promise.reject(unknown);
    const flightKey = `${caller.entityId}\u0000${key}`;
    const running = this.inflight.get(flightKey);
    if (running !== undefined) return running.load;
    const load: Promise<CompiledRole> = loadFrom(source, caller).then(
      (loaded) => {
        // Kept only if this is still the current load: an eviction meanwhile makes it stale.
        if (this.finish(flightKey, load) && this.caching) {
          this.roles.set(key, { entityId: caller.entityId, role: loaded });
        }
        return loaded;
      },
      (error: unknown) => {
        if (
          this.finish(flightKey, load) &&
          error instanceof MoniteNotFoundError &&
          !isMonitePartner(caller)
        ) {
          this.unknown.set(key, error);
        }
        throw error;
      },
    );
    this.inflight.set(flightKey, { entityId: caller.entityId, load });
    return load;
  }

  /** Applies an invalidation: one entity user (any spelling), every caller of an entity, or all. */
  invalidate(invalidation: MoniteInvalidation): void {
    if (invalidation.kind === 'entity_user') this.evict(invalidation.entityUserId);
    else if (invalidation.kind === 'entity') this.evictEntity(invalidation.entityId);
    else this.clear();
  }

  /** Forgets an entity user's role, in any spelling (a revoked token, a role changed by this app). */
  evict(entityUserId: string): void {
    const key = normalizeMoniteId(entityUserId) ?? entityUserId;
    this.roles.delete(key);
    this.unknown.delete(key);
    // A load already running for this user may carry the old role: it must not be stored.
    for (const flightKey of this.inflight.keys()) {
      if (flightKey.endsWith(`\u0000${key}`)) this.inflight.delete(flightKey);
    }
  }

  /** Forgets every role cached for an entity (its users' and the partner's on it). */
  evictEntity(entityId: string): void {
    const entity = normalizeMoniteId(entityId) ?? entityId;
    for (const [key, cached] of this.roles.entries()) {
      if (cached.entityId === entity) this.roles.delete(key);
    }
    for (const [flightKey, flight] of this.inflight) {
      if (flight.entityId === entity) this.inflight.delete(flightKey);
    }
    // Unknown users are remembered without their entity; one may just have been created there.
    this.unknown.clear();
  }

  /** Forgets every role. */
  clear(): void {
    this.roles.clear();
    this.unknown.clear();
    this.inflight.clear();
  }

  /** How many roles are cached (expired ones may still count until touched). */
  get size(): number {
    return this.roles.size;
  }

  /** Ends a flight; false when it was dropped meanwhile (an eviction), so its result is stale. */
  protected finish(flightKey: string, load: Promise<CompiledRole>): boolean {
    if (this.inflight.get(flightKey)?.load !== load) return false;
    this.inflight.delete(flightKey);
    return true;
  }
}

/** The cache key: the entity user's id, or the partner's entity behind a prefix no UUID has. */
function keyOf(caller: MoniteCaller): string {
  return isMonitePartner(caller) ? `partner:${caller.entityId}` : caller.entityUserId;
}

/** The caller with normalised ids (the cold path: a miss), or undefined when an id is not a UUID. */
function normalized(caller: MoniteCaller): MoniteCaller | undefined {
  const entityId = normalizeMoniteId(caller.entityId);
  if (entityId === undefined) return undefined;
  if (isMonitePartner(caller)) return entityId === caller.entityId ? caller : { partner: true, entityId };
  const entityUserId = normalizeMoniteId(caller.entityUserId);
  if (entityUserId === undefined) return undefined;
  return entityUserId === caller.entityUserId && entityId === caller.entityId
    ? caller
    : { entityUserId, entityId };
}

/**
 * lru-cache options reading time from the clock. The system clock is read at most once a
 * millisecond (lru-cache's own resolution: 1 ms on a TTL of seconds); a test's clock on every lookup.
 */
function timeSource(clock: MoniteClock | undefined, now: (() => number) | undefined) {
  const source = clock ?? (now === undefined ? systemClock : undefined);
  const read = source !== undefined ? () => source.monotonic() : (now as () => number);
  return source === systemClock ? { perf: { now: read } } : { perf: { now: read }, ttlResolution: 0 };
}

/** Calls the source so that a synchronous throw becomes a rejection like any other failure. */
async function loadFrom(source: MoniteRoleSource, caller: MoniteCaller): Promise<CompiledRole> {
  return source.load(caller);
}

/** The module's cache, sized by `roleCacheTtlMs` and `roleCacheMax`, listening to invalidations. */
export const roleCacheProvider: Provider = {
  provide: MoniteRoleCache,
  useFactory: (
    options: ResolvedMoniteAuthOptions,
    invalidations: MoniteInvalidations,
    clock: MoniteClock,
  ) => {
    const cache = new MoniteRoleCache({ ttlMs: options.roleCacheTtlMs, max: options.roleCacheMax, clock });
    invalidations.subscribe((invalidation) => cache.invalidate(invalidation));
    return cache;
  },
  inject: [MONITE_AUTH_RESOLVED_OPTIONS, MoniteInvalidations, MONITE_AUTH_CLOCK],
};
