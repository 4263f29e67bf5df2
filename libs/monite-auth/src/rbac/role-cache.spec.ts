import { MoniteNotFoundError, MoniteUnavailableError } from '../errors/index.js';
import { moniteAsPartner, type MoniteCaller, type MoniteEntityUserRef } from '../monite-identity.js';
import { VirtualMoniteClock } from '../testing/virtual-monite-clock.js';
import { MoniteInvalidations } from '../tokens/monite-invalidations.js';
import { compileRole, type CompiledRole } from './compiled-role.js';
import {
  MoniteRoleCache,
  UNKNOWN_ENTITY_USER_TTL_MS,
  roleCacheProvider,
  type MoniteRoleSource,
} from './role-cache.js';

const ENTITY = 'e0000000-0000-4000-8000-000000000001';
const OTHER_ENTITY = 'e0000000-0000-4000-8000-000000000002';
const ALICE: MoniteEntityUserRef = { entityUserId: 'a0000000-0000-4000-8000-00000000000a', entityId: ENTITY };
const BOB: MoniteEntityUserRef = { entityUserId: 'b0000000-0000-4000-8000-00000000000b', entityId: ENTITY };
const CAROL: MoniteEntityUserRef = {
  entityUserId: 'c0000000-0000-4000-8000-00000000000c',
  entityId: OTHER_ENTITY,
};
const shout = (user: MoniteEntityUserRef): MoniteEntityUserRef => ({
  entityUserId: user.entityUserId.toUpperCase(),
  entityId: user.entityId.toUpperCase(),
});

const user = (i: number): MoniteEntityUserRef => ({
  entityUserId: `a0000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  entityId: ENTITY,
});

const reader = compileRole({
  permissions: {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
  },
});
const nobody = compileRole({ permissions: { objects: [] } });

/** A role source whose loads the test settles by hand, counting calls per caller. */
class ManualSource implements MoniteRoleSource {
  calls: MoniteCaller[] = [];
  pending: { resolve: (role: CompiledRole) => void; reject: (error: Error) => void }[] = [];
  load(caller: MoniteCaller): Promise<CompiledRole> {
    this.calls.push(caller);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }
  settle(role: CompiledRole): void {
    for (const { resolve } of this.pending.splice(0)) resolve(role);
  }
  fail(error: Error): void {
    for (const { reject } of this.pending.splice(0)) reject(error);
  }
}

async function cached(cache: MoniteRoleCache, source: ManualSource, caller: MoniteCaller, role = reader) {
  const load = cache.getOrLoad(caller, source);
  source.settle(role);
  await load;
}

describe('MoniteRoleCache', () => {
  let clock: VirtualMoniteClock;
  let cache: MoniteRoleCache;
  let source: ManualSource;

  beforeEach(() => {
    clock = new VirtualMoniteClock();
    cache = new MoniteRoleCache({ ttlMs: 60_000, max: 100, clock });
    source = new ManualSource();
  });

  it('serves a loaded role from memory until the TTL on the injected clock, then loads again', async () => {
    await cached(cache, source, ALICE);
    expect(cache.peek(ALICE)).toBe(reader);

    clock.advance(60_000); // age == TTL: still fresh
    await expect(cache.getOrLoad(ALICE, source)).resolves.toBe(reader);
    expect(source.calls).toHaveLength(1);

    clock.advance(1); // older than the TTL: never served stale
    expect(cache.peek(ALICE)).toBeUndefined();
    await cached(cache, source, ALICE, nobody);
    expect(source.calls).toHaveLength(2);
  });

  it('single flight: 100 concurrent misses for one user make one load, all get its role', async () => {
    const waiters = Array.from({ length: 100 }, () => cache.getOrLoad(ALICE, source));
    expect(source.calls).toHaveLength(1);
    source.settle(reader);
    const roles = await Promise.all(waiters);
    expect(roles.every((role) => role === reader)).toBe(true);
  });

  it('different users load independently', async () => {
    const a = cache.getOrLoad(ALICE, source);
    const b = cache.getOrLoad(BOB, source);
    expect(source.calls).toEqual([ALICE, BOB]);
    source.pending[1].resolve(nobody); // Bob's answer first: Alice's load does not hold it up
    await expect(b).resolves.toBe(nobody);
    source.settle(reader);
    await expect(a).resolves.toBe(reader);
  });

  it('a failure reaches every waiter and is not cached: the next call loads again', async () => {
    const waiters = [cache.getOrLoad(ALICE, source), cache.getOrLoad(ALICE, source)];
    source.fail(new MoniteUnavailableError('Monite is down'));
    for (const waiter of waiters) await expect(waiter).rejects.toThrow('Monite is down');
    expect(cache.peek(ALICE)).toBeUndefined();
    await cached(cache, source, ALICE);
    expect(source.calls).toHaveLength(2);
  });

  it('a source that throws synchronously fails like any other load', async () => {
    const throwing: MoniteRoleSource = {
      load: () => {
        throw new Error('boom');
      },
    };
    await expect(cache.getOrLoad(ALICE, throwing)).rejects.toThrow('boom');
    expect(cache.peek(ALICE)).toBeUndefined();
  });

  it('44: one user in any spelling is one entry, loaded once; the source sees the normalised ids', async () => {
    await cached(cache, source, shout(ALICE));
    await expect(cache.getOrLoad(ALICE, source)).resolves.toBe(reader);
    await expect(cache.getOrLoad(shout(ALICE), source)).resolves.toBe(reader);
    expect(source.calls).toEqual([ALICE]);
    expect(cache.size).toBe(1);
  });

  it('44: evict drops the role in any spelling, and a load already running for that user is not stored', async () => {
    await cached(cache, source, ALICE);
    cache.evict(ALICE.entityUserId.toUpperCase());
    expect(cache.peek(ALICE)).toBeUndefined();

    const inFlight = cache.getOrLoad(ALICE, source);
    cache.evict(ALICE.entityUserId); // e.g. the user's token was revoked while the old role was on its way
    source.settle(reader);
    await expect(inFlight).resolves.toBe(reader);
    expect(cache.peek(ALICE)).toBeUndefined();
  });

  it('an entity invalidation drops every role of that entity (users and the partner), in flight too', async () => {
    const partner = moniteAsPartner(ENTITY);
    for (const caller of [ALICE, BOB, CAROL, partner]) await cached(cache, source, caller);
    const running = cache.getOrLoad(
      { ...ALICE, entityUserId: 'd0000000-0000-4000-8000-00000000000d' },
      source,
    );

    cache.invalidate({ kind: 'entity', entityId: ENTITY.toUpperCase() });
    expect([ALICE, BOB, partner].map((caller) => cache.peek(caller))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(cache.peek(CAROL)).toBe(reader);
    source.settle(reader);
    await running;
    expect(cache.size).toBe(1);

    cache.invalidate({ kind: 'all' });
    expect(cache.peek(CAROL)).toBeUndefined();
  });

  it('finding "an unknown caller is an outage": an entity user Monite does not know is remembered for a minute, one load', async () => {
    const unknown = new MoniteNotFoundError('Entity user not found', { status: 404 });
    const first = cache.getOrLoad(ALICE, source);
    source.fail(unknown);
    await expect(first).rejects.toBe(unknown);
    for (let i = 0; i < 5; i++) await expect(cache.getOrLoad(shout(ALICE), source)).rejects.toBe(unknown);
    expect(source.calls).toHaveLength(1);

    clock.advance(UNKNOWN_ENTITY_USER_TTL_MS + 1);
    const again = cache.getOrLoad(ALICE, source);
    source.settle(reader);
    await expect(again).resolves.toBe(reader);
    expect(source.calls).toHaveLength(2);
  });

  it('an invalidation of the user forgets that it was unknown (it may have just been created)', async () => {
    const first = cache.getOrLoad(ALICE, source);
    source.fail(new MoniteNotFoundError('Entity user not found'));
    await expect(first).rejects.toThrow('not found');
    cache.invalidate({ kind: 'entity_user', entityUserId: ALICE.entityUserId });
    await cached(cache, source, ALICE);
    expect(cache.peek(ALICE)).toBe(reader);
  });

  it('an id that is not a UUID never reaches the source', async () => {
    await expect(cache.getOrLoad({ entityUserId: 'alice', entityId: ENTITY }, source)).rejects.toBeInstanceOf(
      MoniteNotFoundError,
    );
    expect(source.calls).toEqual([]);
  });

  it('a cached role is not served for the same user id in another entity', async () => {
    await cached(cache, source, ALICE);
    expect(cache.peek({ entityUserId: ALICE.entityUserId, entityId: OTHER_ENTITY })).toBeUndefined();
  });

  it('partner callers are cached per entity, apart from users', async () => {
    await cached(cache, source, moniteAsPartner(ENTITY));
    expect(cache.peek(moniteAsPartner(ENTITY))).toBe(reader);
    expect(cache.peek(moniteAsPartner(OTHER_ENTITY))).toBeUndefined();
    expect(cache.peek(ALICE)).toBeUndefined();
  });

  it('holds at most `max` roles', async () => {
    const small = new MoniteRoleCache({ ttlMs: 60_000, max: 10, clock });
    for (let i = 0; i < 50; i++) await cached(small, source, user(i));
    expect(small.size).toBe(10);
    expect(small.peek(user(49))).toBe(reader);
    expect(small.peek(user(0))).toBeUndefined();
  });

  it('a TTL of 0 caches nothing (each request loads), yet concurrent loads are still shared', async () => {
    const uncached = new MoniteRoleCache({ ttlMs: 0, max: 10, clock });
    const together = [uncached.getOrLoad(ALICE, source), uncached.getOrLoad(ALICE, source)];
    source.settle(reader);
    await Promise.all(together);
    expect(source.calls).toHaveLength(1);
    expect(uncached.peek(ALICE)).toBeUndefined();
    await cached(uncached, source, ALICE);
    expect(source.calls).toHaveLength(2);
  });

  it('isCanonical vouches only for the exact, normalised ids of a live cached role', async () => {
    await cached(cache, source, shout(ALICE));
    expect(cache.isCanonical(ALICE.entityUserId, ALICE.entityId)).toBe(true);
    expect(cache.isCanonical(ALICE.entityUserId.toUpperCase(), ALICE.entityId)).toBe(false);
    expect(cache.isCanonical(ALICE.entityUserId, OTHER_ENTITY)).toBe(false);
    expect(cache.isCanonical(BOB.entityUserId, BOB.entityId)).toBe(false);
    clock.advance(60_001);
    expect(cache.isCanonical(ALICE.entityUserId, ALICE.entityId)).toBe(false);
  });

  it("the module's cache listens to the invalidation bus", async () => {
    const bus = new MoniteInvalidations();
    const factory = (roleCacheProvider as { useFactory: (...args: unknown[]) => MoniteRoleCache }).useFactory;
    const moduleCache = factory({ roleCacheTtlMs: 60_000, roleCacheMax: 10 }, bus, clock);
    await cached(moduleCache, source, ALICE);
    await cached(moduleCache, source, CAROL);
    bus.deliver({ kind: 'entity_user', entityUserId: ALICE.entityUserId.toUpperCase() });
    expect(moduleCache.peek(ALICE)).toBeUndefined();
    expect(moduleCache.peek(CAROL)).toBe(reader);
    bus.deliver({ kind: 'entity', entityId: OTHER_ENTITY });
    expect(moduleCache.peek(CAROL)).toBeUndefined();
  });
});
