/*
 * RedisTokenStore in one process against a real redis-server (started here) and the emulator:
 * two Nest apps sharing one Redis on Express and Fastify (checklist 18, 19), tokens at rest
 * (TTL, revocation by value, AES-256-GCM) and option validation.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { MoniteEmulator } from 'monite-emulator';
import { MoniteConfigurationError, RedisTokenStore, type RedisTokenStoreOptions } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { CANARY_SECRET, eventually, settle, startEmulator, userId } from '../tokens/token-test-kit.js';
import { RedisServer } from './redis-server.js';
import { StoreFactory, StoreLog, storedToken } from './store-kit.js';
import { tokenAppModule } from './token-app.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';

/** GETs a token route of an app and returns the access token. */
async function get(app: INestApplication, path: string): Promise<string> {
  const response = await request(app.getHttpServer()).get(path).expect(200);
  return (response.body as { accessToken: string }).accessToken;
}

describe('RedisTokenStore (real redis-server)', () => {
  let redis: RedisServer;
  let emulator: MoniteEmulator;
  let admin: Redis;
  let factory: StoreFactory;
  const apps: INestApplication[] = [];
  const newStore = (options: Partial<RedisTokenStoreOptions> = {}) => factory.create(options);

  beforeAll(async () => {
    redis = await RedisServer.start();
    emulator = await startEmulator(60);
    admin = redis.client();
    factory = new StoreFactory(redis);
  });
  afterAll(async () => {
    admin?.disconnect();
    await emulator?.close();
    await redis?.stop();
  });
  beforeEach(async () => {
    emulator.reset();
    await admin.flushall();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    factory.close();
  });

  describe.each(ADAPTERS)('two app instances sharing one Redis (%s)', (adapter) => {
    const boot = async (store: RedisTokenStore) => {
      const app = await startApp(adapter, tokenAppModule(emulator, store));
      apps.push(app);
      return app;
    };

    it('18: 50 cold calls on each app: one partner-token request in all, one per entity user', async () => {
      const [a, b] = [await boot(newStore()), await boot(newStore())];
      const calls = [a, b].flatMap((app) =>
        Array.from({ length: 50 }, (_, i) => [
          get(app, '/token/partner'),
          get(app, `/token/user/${userId(1 + (i % 10))}`),
        ]).flat(),
      );
      const tokens = await Promise.all(calls);

      const partnerTokens = new Set(tokens.filter((_, i) => i % 2 === 0));
      const userTokens = new Set(tokens.filter((_, i) => i % 2 === 1));
      expect(partnerTokens.size).toBe(1);
      expect(userTokens.size).toBe(10);
      expect(emulator.count(TOKEN_ROUTE)).toBe(11);
    });

    it('18: the lock holder dies mid-mint: its lock expires, then the other app proceeds (one request)', async () => {
      const prefix = 'held:';
      const [a, b] = [
        await boot(newStore({ keyPrefix: prefix })),
        await boot(newStore({ keyPrefix: prefix })),
      ];
      // Learn the partner key, then make it cold again with the lock a dead holder left behind.
      const first = await get(a, '/token/partner');
      const [entryKey] = await admin.keys(`${prefix}{tokens}:entry:monite-token:*`);
      const lockKey = entryKey!.replace(':entry:', ':lock:');
      await admin.flushall();
      await admin.set(lockKey, 'a-holder-that-died', 'PX', 1_500);

      let settled = 0;
      const calls = [a, b].flatMap((app) =>
        Array.from({ length: 50 }, () => get(app, '/token/partner').finally(() => settled++)),
      );
      await settle(200);
      const requestsSoFar = emulator.count(TOKEN_ROUTE);
      const lockStillHeld = (await admin.pttl(lockKey)) > 0;
      if (lockStillHeld) {
        // While the dead holder's lock lives, nobody mints and nobody is answered.
        expect(requestsSoFar).toBe(1);
        expect(settled).toBe(0);
      }
      const tokens = await Promise.all(calls);

      expect(new Set(tokens).size).toBe(1);
      expect(tokens[0]).not.toBe(first);
      expect(emulator.count(TOKEN_ROUTE)).toBe(2);
      expect(await admin.exists(lockKey)).toBe(0); // released by the new holder
    });

    it('19: Redis down: calls succeed from the in-process cache, one warning per store without a secret; sharing resumes', async () => {
      const log = new StoreLog();
      const fast = { commandTimeoutMs: 300, recoveryCheckIntervalMs: 100 };
      const storeA = newStore({ ...fast, logger: log.for('a') });
      const storeB = newStore({ ...fast, logger: log.for('b') });
      const [a, b] = [await boot(storeA), await boot(storeB)];
      const seen = new Set<string>([await get(a, '/token/partner')]);

      await redis.stop();
      try {
        for (let round = 0; round < 3; round++) {
          for (const app of [a, b]) {
            seen.add(await get(app, '/token/partner'));
            seen.add(await get(app, `/token/user/${userId(1)}`));
          }
        }
        expect(storeA.usingFallback).toBe(true);
        expect(storeB.usingFallback).toBe(true);
        // Rounds 2 and 3 were served from each process's own cache: 2 apps x 2 tokens in all.
        expect(emulator.count(TOKEN_ROUTE)).toBe(1 + 4);
        expect(log.count('a', 'warn')).toBe(1);
        expect(log.count('b', 'warn')).toBe(1);
        for (const { message } of log.lines) {
          expect(message).not.toContain(CANARY_SECRET);
          expect(message).not.toContain(String(redis.port));
          for (const token of seen) expect(message).not.toContain(token);
        }
      } finally {
        await redis.start();
      }

      await eventually(() => !storeA.usingFallback && !storeB.usingFallback, 10_000);
      expect(log.count('a', 'log')).toBe(1);
      expect(log.count('b', 'log')).toBe(1);
      const before = emulator.count(TOKEN_ROUTE);
      const tokens = await Promise.all(
        [a, b].flatMap((app) => Array.from({ length: 25 }, () => get(app, `/token/user/${userId(20)}`))),
      );
      expect(new Set(tokens).size).toBe(1);
      expect(emulator.count(TOKEN_ROUTE) - before).toBe(1);
      expect(log.count('a', 'warn') + log.count('b', 'warn')).toBe(2);
    });

    it('19: Redis too slow (CLIENT PAUSE): commands time out, calls succeed from the fallback, then it recovers', async () => {
      const log = new StoreLog();
      const store = newStore({ commandTimeoutMs: 200, recoveryCheckIntervalMs: 100, logger: log.for('a') });
      const app = await boot(store);
      await get(app, '/token/partner');

      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      const token = await get(app, `/token/user/${userId(2)}`);

      expect(token).toMatch(/\S/);
      expect(store.usingFallback).toBe(true);
      expect(log.count('a', 'warn')).toBe(1);
      await eventually(() => !store.usingFallback, 10_000);
      expect(log.count('a', 'log')).toBe(1);
    });

    it('revocation on one app: the next call on the other mints anew', async () => {
      const [a, b] = [await boot(newStore()), await boot(newStore())];
      const old = await get(b, `/token/user/${userId(3)}`);

      await request(a.getHttpServer()).post('/token/revoke').send({ token: old }).expect(204);
      const fresh = await get(b, `/token/user/${userId(3)}`);

      expect(fresh).not.toBe(old);
      expect(emulator.count(TOKEN_ROUTE)).toBe(2);
      expect(await get(a, `/token/user/${userId(3)}`)).toBe(fresh);
    });
  });

  describe('tokens at rest', () => {
    it('are kept exactly as long as they live, entry and token index alike', async () => {
      const store = newStore({ keyPrefix: 'ttl:' });
      await store.set('monite-token:x:partner', storedToken('tok-ttl', 60_000));

      const keys = (await admin.keys('ttl:*')).toSorted();
      expect(keys).toEqual([
        'ttl:{tokens}:entry:monite-token:x:partner',
        expect.stringMatching(/^ttl:\{tokens\}:token-id:/),
      ]);
      for (const key of keys) {
        const ttl = await admin.pttl(key);
        expect(ttl).toBeGreaterThan(50_000);
        expect(ttl).toBeLessThanOrEqual(60_000);
      }
      await store.set('monite-token:x:old', storedToken('tok-gone', -1));
      expect(await store.get('monite-token:x:old')).toBeUndefined();
      expect(await admin.exists('ttl:{tokens}:entry:monite-token:x:old')).toBe(0);
    });

    it('a revocation finds the entry by token value from another replica, and never deletes a newer token', async () => {
      const [one, two] = [newStore(), newStore()];
      await one.set('k1', storedToken('tok-1'));
      await two.deleteToken('tok-1');
      expect(await one.get('k1')).toBeUndefined();

      await one.set('k2', storedToken('tok-old'));
      await one.set('k2', storedToken('tok-new'));
      await two.deleteToken('tok-old');
      expect((await one.get('k2'))?.accessToken).toBe('tok-new');
    });

    it('encrypted: the raw value holds no token; another key, a tampered or a planted plaintext value is a miss', async () => {
      const key = randomBytes(32);
      const store = newStore({ encryptionKey: key });
      const secretToken = `tok-${randomBytes(16).toString('hex')}`;
      await store.set('k', storedToken(secretToken));

      const raw = (await admin.get('monite-auth:{tokens}:entry:k'))!;
      expect(raw).not.toContain(secretToken);
      expect(raw).not.toContain(Buffer.from(secretToken).toString('base64'));
      expect((await store.get('k'))?.accessToken).toBe(secretToken);
      // Same key as hex reads it too.
      expect((await newStore({ encryptionKey: key.toString('hex') }).get('k'))?.accessToken).toBe(
        secretToken,
      );

      await expect(newStore({ encryptionKey: randomBytes(32) }).get('k')).resolves.toBeUndefined();
      await expect(newStore().get('k')).resolves.toBeUndefined();
      const flipped = raw.slice(0, -2) + (raw.at(-2) === 'A' ? 'B' : 'A') + raw.at(-1);
      await admin.set('monite-auth:{tokens}:entry:k', flipped);
      await expect(store.get('k')).resolves.toBeUndefined();
      // A plaintext value as earlier versions wrote without a key, planted in either layout.
      const planted = 'tok-planted';
      const json = JSON.stringify({ a: planted, e: Date.now() + 60_000, r: Date.now() + 50_000 });
      const plainValue = `${createHash('sha256').update(planted).digest('base64url')}.${json}`;
      await admin.set('monite-auth:{tokens}:entry:k', plainValue);
      await admin.set('monite-auth:k', plainValue);
      await expect(store.get('k')).resolves.toBeUndefined();
      await expect(newStore().get('k')).resolves.toBeUndefined();
      // A sealed value moved under another key does not open there either.
      await admin.set('monite-auth:{tokens}:entry:other', raw);
      await expect(store.get('other')).resolves.toBeUndefined();
      expect(store.usingFallback).toBe(false);
    });

    it('a lock is released only by its holder', async () => {
      const store = newStore();
      const minted = await store.coordinateMint('k', async () => {
        expect(await admin.get('monite-auth:{tokens}:lock:k')).toMatch(/\S/); // ours, while we mint
        // Our lock expired meanwhile and another replica took it: ours to release no longer.
        await admin.set('monite-auth:{tokens}:lock:k', 'someone-else', 'PX', 5_000);
        return storedToken('tok-k');
      });

      expect(minted.accessToken).toBe('tok-k');
      expect(await admin.get('monite-auth:{tokens}:lock:k')).toBe('someone-else');
    });

    it('a fresh token stored by another replica is served without taking the lock', async () => {
      const store = newStore();
      await admin.set('monite-auth:{tokens}:lock:k', 'someone-else', 'PX', 5_000);
      await store.set('k', storedToken('tok-k'));

      const got = await store.coordinateMint('k', async () => {
        throw new Error('must not mint');
      });
      expect(got.accessToken).toBe('tok-k');
    });
  });

  it('rejects bad options naming the option, never quoting a key', () => {
    const client = factory.client();
    const secretKey = 'x'.repeat(31);
    const attempt = (options: Partial<RedisTokenStoreOptions>) => () =>
      new RedisTokenStore({ client, ...options });

    expect(attempt({ encryptionKey: secretKey })).toThrow(MoniteConfigurationError);
    expect(attempt({ encryptionKey: secretKey })).toThrow(/encryptionKey/);
    expect(attempt({ encryptionKey: secretKey })).not.toThrow(new RegExp(secretKey));
    expect(attempt({ encryptionKey: [randomBytes(32), secretKey] })).toThrow(/encryptionKey/);
    expect(attempt({ encryptionKey: [randomBytes(32), secretKey] })).not.toThrow(new RegExp(secretKey));
    expect(attempt({ encryptionKey: [] })).toThrow(/encryptionKey/);
    expect(attempt({ clock: { now: () => 0 } as never })).toThrow(/clock/);
    expect(attempt({ lockTtlMs: 10_000, waitTimeoutMs: 5_000 })).toThrow(/waitTimeoutMs/);
    expect(attempt({ commandTimeoutMs: 0 })).toThrow(/commandTimeoutMs/);
    expect(() => new RedisTokenStore({ client: {} as never })).toThrow(/client/);
  });
});
