/*
 * The Redis store takes time from the injected clock (issue 11): expiry, TTLs, polls and wait
 * deadlines; and the review's finding on the mint lock: by default a waiting replica waits out the
 * token service's worst-case mint (`maxMintMs`) instead of minting beside a slow holder.
 */
import type { Redis } from 'ioredis';
import type { RedisTokenStoreOptions, StoredToken } from 'nestjs-monite-auth';
import { VirtualMoniteClock } from 'nestjs-monite-auth/testing';
import { eventually } from '../tokens/token-test-kit.js';
import { RedisServer } from './redis-server.js';
import { StoreFactory, storedToken } from './store-kit.js';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

describe('Redis store time (real redis-server, virtual clock)', () => {
  let redis: RedisServer;
  let admin: Redis;
  let factory: StoreFactory;
  let clock: VirtualMoniteClock;
  const newStore = (options: Partial<RedisTokenStoreOptions> = {}) => factory.create({ clock, ...options });

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
    clock = new VirtualMoniteClock();
    await admin.flushall();
  });
  afterEach(() => factory.close());

  /** Store A takes the lock and mints until `finish` is called, then stores its token. */
  async function slowHolder() {
    const holder = newStore();
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const token = storedToken('tok-slow-holder', 600_000, clock.now());
    let locked = false;
    const done = holder.coordinateMint('k', async () => {
      locked = true;
      await gate;
      await holder.set('k', token);
      return token;
    });
    await eventually(() => locked);
    return { finish, done, token };
  }

  it('expiry and TTL come from the injected clock', async () => {
    const store = newStore();
    await store.set('k', storedToken('tok-virtual', 60_000, clock.now()));

    const ttl = await admin.pttl('monite-auth:{tokens}:entry:k');
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect((await store.get('k'))?.accessToken).toBe('tok-virtual');
    clock.advance(60_001);
    expect(await store.get('k')).toBeUndefined();
  });

  it('a token already expired on the injected clock is not written', async () => {
    const store = newStore();
    clock.advance(5_000);
    await store.set('k', storedToken('tok-old', 1_000, clock.now() - 2_000));
    expect(await admin.dbsize()).toBe(0);
  });

  it('a waiting replica polls and gives up on the injected clock', async () => {
    const store = newStore({ waitTimeoutMs: 10_000, pollIntervalMs: 50 });
    await admin.set('monite-auth:{tokens}:lock:k', 'a-holder-that-never-stores', 'PX', 60_000);
    let minted = 0;

    const token = await store.coordinateMint('k', async () => {
      minted++;
      return storedToken('tok-own', 60_000, clock.now());
    });

    expect(token.accessToken).toBe('tok-own');
    expect(minted).toBe(1);
    expect(sum(clock.sleeps)).toBeGreaterThanOrEqual(10_000);
    expect(clock.sleeps.every((ms) => ms >= 25 && ms <= 75)).toBe(true);
  });

  describe('18: the lock wait outlasts a worst-case mint (review finding)', () => {
    it('18: by default a waiter waits out maxMintMs (here 60 s, past the 15 s default), then takes the holder’s token', async () => {
      const holder = await slowHolder();
      const waiter = newStore();
      let ownMints = 0;
      const waiting = waiter.coordinateMint(
        'k',
        async () => {
          ownMints++;
          return storedToken('tok-waiter', 600_000, clock.now());
        },
        { maxMintMs: 60_000 },
      );

      await eventually(() => sum(clock.sleeps) > 40_000 || ownMints > 0, 20_000);
      holder.finish();
      const got: StoredToken = await waiting;

      expect(ownMints).toBe(0);
      expect(got.accessToken).toBe(holder.token.accessToken);
      await holder.done;
    });

    it('18: an explicit waitTimeoutMs wins over maxMintMs', async () => {
      const holder = await slowHolder();
      const waiter = newStore({ waitTimeoutMs: 6_000 });

      const got = await waiter.coordinateMint(
        'k',
        async () => storedToken('tok-waiter', 600_000, clock.now()),
        {
          maxMintMs: 60_000,
        },
      );

      expect(got.accessToken).toBe('tok-waiter');
      expect(sum(clock.sleeps)).toBeGreaterThanOrEqual(6_000);
      expect(sum(clock.sleeps)).toBeLessThan(7_000);
      holder.finish();
      await holder.done;
    });
  });
});
