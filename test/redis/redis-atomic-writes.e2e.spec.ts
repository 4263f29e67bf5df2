/*
 * Checklist 50 and the review's Redis findings on writes and revocation, against a real
 * redis-server: the entry and its token index are one write, a write that lands late (held up on
 * the link, resent after a reconnect) never brings a revoked token back, and a revocation that
 * knows the key deletes the entry there even without its index.
 */
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { LatencyProxy } from './latency-proxy.js';
import { RedisServer } from './redis-server.js';
import { StoreFactory, storedToken } from './store-kit.js';

/** A key the token service builds for an entity user (the store reads the user out of it). */
const userKey = (n: number) =>
  `monite-token:scope:user:00000000-0000-4000-a000-${String(n).padStart(12, '0')}`;

describe('Redis writes and revocations (real redis-server)', () => {
  let redis: RedisServer;
  let admin: Redis;
  let factory: StoreFactory;

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = redis.client();
    factory = new StoreFactory(redis);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });
  beforeEach(async () => {
    await admin.flushall();
  });
  afterEach(() => factory.close());

  describe('50: a write held up on the link past its timeout', () => {
    let proxy: LatencyProxy;
    beforeEach(async () => {
      proxy = await LatencyProxy.start(redis.port);
    });
    afterEach(async () => {
      await proxy.close();
    });

    it('50: revoked on another replica meanwhile, the write lands late and the token is never served', async () => {
      // Replica A reaches Redis through the proxy; B (revokes) and C (reads) directly.
      const a = factory.create({ commandTimeoutMs: 300, recoveryCheckIntervalMs: 100 }, proxy.port);
      const [b, c] = [factory.create(), factory.create()];
      const key = userKey(1);
      const token = storedToken('tok-held-up');
      // Every write of the token index is held 1.5 s: the index write of the old two-command
      // write, or the whole one-step write.
      proxy.holdWhen('token-id:', 1_500);

      await a.set(key, token); // times out: A serves from its own memory meanwhile
      expect(a.usingFallback).toBe(true);
      await b.deleteToken(token.accessToken); // the user logs out on B
      await proxy.drained(); // the held write reaches Redis now
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect(await c.get(key)).toBeUndefined();
      expect(await b.get(key)).toBeUndefined();
      for (const entry of await admin.keys('*entry*')) {
        expect(await c.get(entry.slice(entry.indexOf(':entry:') + ':entry:'.length))).toBeUndefined();
      }
    });

    it('50: not revoked, the late write is served as usual (a marker only refuses revoked tokens)', async () => {
      const a = factory.create({ commandTimeoutMs: 300, recoveryCheckIntervalMs: 100 }, proxy.port);
      const c = factory.create();
      proxy.holdWhen('token-id:', 800);

      await a.set(userKey(2), storedToken('tok-late'));
      await proxy.drained();
      await new Promise((resolve) => setTimeout(resolve, 50));

      expect((await c.get(userKey(2)))?.accessToken).toBe('tok-late');
    });
  });

  it('50: entry and index are written together: no entry without its index, ever', async () => {
    const store = factory.create({ keyPrefix: 'w:' });
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.set(userKey(i), storedToken(`tok-${i}`))));

    const entries = await admin.keys('w:{tokens}:entry:*');
    const indexes = await admin.keys('w:{tokens}:token-id:*');
    expect(entries).toHaveLength(40);
    expect(indexes).toHaveLength(40);
    for (const index of indexes) expect(entries).toContain(await admin.get(index));
  });

  it('deleteToken(token, key): deletes the entry at that key even when its index is gone', async () => {
    const [a, b] = [factory.create(), factory.create()];
    await a.set(userKey(3), storedToken('tok-indexless'));
    for (const index of await admin.keys('*token-id:*')) await admin.del(index);

    await b.deleteToken('tok-indexless', userKey(3));

    expect(await a.get(userKey(3))).toBeUndefined();
  });

  it('deleteToken(token, key): leaves a newer token at that key alone', async () => {
    const [a, b] = [factory.create(), factory.create()];
    await a.set(userKey(4), storedToken('tok-old'));
    await a.set(userKey(4), storedToken('tok-new'));

    await b.deleteToken('tok-old', userKey(4));

    expect((await a.get(userKey(4)))?.accessToken).toBe('tok-new');
  });

  it('a revocation tells every listener of the revoking store whose token it was, even one it did not mint', async () => {
    const [a, b] = [factory.create(), factory.create()];
    const heard: unknown[] = [];
    const stop = b.subscribeInvalidations((invalidation) => heard.push(invalidation));
    await a.set(userKey(5), storedToken('tok-5'));

    await b.deleteToken('tok-5');
    stop();

    expect(heard).toContainEqual({
      kind: 'entity_user',
      entityUserId: '00000000-0000-4000-a000-000000000005',
    });
  });

  it('50 (class): whatever order writes and revocations land in, a revoked token is never read again', async () => {
    const store = factory.create({ keyPrefix: 'p:' });
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), key: fc.nat(2), token: fc.nat(4) }),
      fc.record({ kind: fc.constant('revoke' as const), token: fc.nat(4), withKey: fc.option(fc.nat(2)) }),
      fc.record({ kind: fc.constant('get' as const), key: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        await admin.flushall();
        const run = Math.random().toString(36).slice(2);
        const tokenOf = (n: number) => `tok-${run}-${n}`;
        const revoked = new Set<string>();
        for (const step of ops) {
          if (step.kind === 'set') await store.set(userKey(step.key), storedToken(tokenOf(step.token)));
          if (step.kind === 'revoke') {
            const key = step.withKey === null ? undefined : userKey(step.withKey);
            await store.deleteToken(tokenOf(step.token), key);
            revoked.add(tokenOf(step.token));
          }
          if (step.kind === 'get') {
            const read = await store.get(userKey(step.key));
            if (read !== undefined && revoked.has(read.accessToken)) return false;
          }
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
