import { compileRole, type CompiledRole } from './compiled-role.js';
import type { MoniteEntityUserRef } from '../monite-identity.js';
import { MoniteRoleCache, type MoniteRoleSource } from './role-cache.js';

const ALICE: MoniteEntityUserRef = { entityUserId: 'alice', entityId: 'entity-1' };
const BOB: MoniteEntityUserRef = { entityUserId: 'bob', entityId: 'entity-1' };

const reader = compileRole({
  permissions: {
    objects: [{ object_type: 'payable', actions: [{ action_name: 'read', permission: 'allowed' }] }],
  },
});
const nobody = compileRole({ permissions: { objects: [] } });

/** A role source whose loads the test settles by hand, counting calls per user. */
class ManualSource implements MoniteRoleSource {
  calls: string[] = [];
  pending: {
    user: MoniteEntityUserRef;
    resolve: (role: CompiledRole) => void;
    reject: (error: Error) => void;
  }[] = [];
  load(user: MoniteEntityUserRef): Promise<CompiledRole> {
    this.calls.push(user.entityUserId);
    return new Promise((resolve, reject) => this.pending.push({ user, resolve, reject }));
  }
  settle(role: CompiledRole): void {
    for (const { resolve } of this.pending.splice(0)) resolve(role);
  }
  fail(error: Error): void {
    for (const { reject } of this.pending.splice(0)) reject(error);
  }
}

describe('MoniteRoleCache', () => {
  let now: number;
  let cache: MoniteRoleCache;
  let source: ManualSource;

  beforeEach(() => {
    now = 1_000_000;
    cache = new MoniteRoleCache({ ttlMs: 60_000, max: 100, now: () => now });
    source = new ManualSource();
  });

  it('serves a loaded role from memory until the TTL, then loads again', async () => {
    const first = cache.getOrLoad(ALICE, source);
    source.settle(reader);
    await expect(first).resolves.toBe(reader);
    expect(cache.peek(ALICE)).toBe(reader);

    now += 60_000; // age == TTL: still fresh
    await expect(cache.getOrLoad(ALICE, source)).resolves.toBe(reader);
    expect(source.calls).toEqual(['alice']);

    now += 1; // older than the TTL: never served stale
    expect(cache.peek(ALICE)).toBeUndefined();
    const second = cache.getOrLoad(ALICE, source);
    source.settle(nobody);
    await expect(second).resolves.toBe(nobody);
    expect(source.calls).toEqual(['alice', 'alice']);
  });

  it('single flight: 100 concurrent misses for one user make one load, all get its role', async () => {
    const waiters = Array.from({ length: 100 }, () => cache.getOrLoad(ALICE, source));
    expect(source.calls).toEqual(['alice']);
    source.settle(reader);
    const roles = await Promise.all(waiters);
    expect(roles.every((role) => role === reader)).toBe(true);
  });

  it('different users load independently', async () => {
    const a = cache.getOrLoad(ALICE, source);
    const b = cache.getOrLoad(BOB, source);
    expect(source.calls).toEqual(['alice', 'bob']);
    source.pending[1].resolve(nobody); // Bob's answer first: Alice's load does not hold it up
    await expect(b).resolves.toBe(nobody);
    source.settle(reader);
    await expect(a).resolves.toBe(reader);
  });

  it('a failure reaches every waiter and is not cached: the next call loads again', async () => {
    const waiters = [cache.getOrLoad(ALICE, source), cache.getOrLoad(ALICE, source)];
    source.fail(new Error('Monite is down'));
    for (const waiter of waiters) await expect(waiter).rejects.toThrow('Monite is down');
    expect(cache.peek(ALICE)).toBeUndefined();

    const retry = cache.getOrLoad(ALICE, source);
    expect(source.calls).toEqual(['alice', 'alice']);
    source.settle(reader);
    await expect(retry).resolves.toBe(reader);
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

  it('evict drops the role at once, and a load already running for that user is not stored', async () => {
    const first = cache.getOrLoad(ALICE, source);
    source.settle(reader);
    await first;
    cache.evict('alice');
    expect(cache.peek(ALICE)).toBeUndefined();

    const inFlight = cache.getOrLoad(ALICE, source);
    cache.evict('alice'); // e.g. the user's token was revoked while the old role was on its way
    source.settle(reader);
    await expect(inFlight).resolves.toBe(reader);
    expect(cache.peek(ALICE)).toBeUndefined();
  });

  it('a cached role is not served for the same user id in another entity', async () => {
    const load = cache.getOrLoad(ALICE, source);
    source.settle(reader);
    await load;
    expect(cache.peek({ entityUserId: 'alice', entityId: 'entity-2' })).toBeUndefined();
  });

  it('partner callers (no entity user) are cached per entity', async () => {
    const partner1 = { entityUserId: '', entityId: 'entity-1' };
    const partner2 = { entityUserId: '', entityId: 'entity-2' };
    const load = cache.getOrLoad(partner1, source);
    source.settle(reader);
    await load;
    expect(cache.peek(partner1)).toBe(reader);
    expect(cache.peek(partner2)).toBeUndefined();
  });

  it('holds at most `max` roles', async () => {
    const small = new MoniteRoleCache({ ttlMs: 60_000, max: 10, now: () => now });
    for (let i = 0; i < 50; i++) {
      const load = small.getOrLoad({ entityUserId: `user-${i}`, entityId: 'entity-1' }, source);
      source.settle(reader);
      await load;
    }
    expect(small.size).toBe(10);
    expect(small.peek({ entityUserId: 'user-49', entityId: 'entity-1' })).toBe(reader);
    expect(small.peek({ entityUserId: 'user-0', entityId: 'entity-1' })).toBeUndefined();
  });

  it('a TTL of 0 caches nothing (each request loads), yet concurrent loads are still shared', async () => {
    const uncached = new MoniteRoleCache({ ttlMs: 0, max: 10, now: () => now });
    const together = [uncached.getOrLoad(ALICE, source), uncached.getOrLoad(ALICE, source)];
    source.settle(reader);
    await Promise.all(together);
    expect(source.calls).toEqual(['alice']);
    expect(uncached.peek(ALICE)).toBeUndefined();
    const later = uncached.getOrLoad(ALICE, source);
    source.settle(reader);
    await later;
    expect(source.calls).toEqual(['alice', 'alice']);
  });
});
