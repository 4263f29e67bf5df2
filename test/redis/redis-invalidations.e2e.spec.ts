/*
 * Invalidations between replicas through the store's pub/sub (checklist 45, store side): two stores
 * on two connections to a real redis-server. What other replicas publish arrives within 1 s; the
 * revoking store names the user even for a token it did not mint; messages nobody could sign are
 * ignored; and whenever a store may have missed messages, its listeners hear `{ kind: 'all' }`.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MoniteInvalidation, RedisTokenStore } from 'nestjs-monite-auth';
import { eventually, settle } from '../tokens/token-test-kit.js';
import { LatencyProxy } from './latency-proxy.js';
import { RedisServer } from './redis-server.js';
import { StoreFactory, storedToken } from './store-kit.js';

const USER = '00000000-0000-4000-a000-0000000000aa';
const ENTITY = '00000000-0000-4000-8000-0000000000ee';
const CHANNEL = 'monite-auth:invalidations';

/** Everything a store's listeners heard. */
function listen(store: RedisTokenStore): MoniteInvalidation[] {
  const heard: MoniteInvalidation[] = [];
  store.subscribeInvalidations((invalidation) => heard.push(invalidation));
  return heard;
}

const payload = (body: object) => Buffer.from(JSON.stringify(body)).toString('base64url');

describe('Redis invalidations between replicas (real redis-server)', () => {
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

  /** Connections in subscriber mode. */
  async function subscribers(): Promise<number> {
    return ((await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string).split('\n').filter(Boolean)
      .length;
  }

  /** Two stores listening, past the `all` each hears when it starts listening. */
  async function twoListening(options = {}) {
    const [a, b] = [factory.create(options), factory.create(options)];
    const [heardA, heardB] = [listen(a), listen(b)];
    await eventually(() => a.listeningForInvalidations && b.listeningForInvalidations, 5_000);
    expect(heardA).toEqual([{ kind: 'all' }]);
    heardA.length = 0;
    heardB.length = 0;
    return { a, b, heardA, heardB };
  }

  it('45: revoked on B, minted and stored by A: B’s listeners hear the user at once, A’s within 1 s', async () => {
    const { a, b, heardA, heardB } = await twoListening();
    await a.set(`monite-token:scope:user:${USER}`, storedToken('tok-minted-on-a'));

    await b.deleteToken('tok-minted-on-a');
    expect(heardB).toEqual([{ kind: 'entity_user', entityUserId: USER }]);
    await eventually(() => heardA.length > 0, 1_000);

    expect(heardA).toEqual([{ kind: 'entity_user', entityUserId: USER }]);
  });

  it('45: published on A: B hears it within 1 s, A does not hear its own; ids arrive normalised', async () => {
    const { a, heardA, heardB } = await twoListening();

    await a.publishInvalidation({ kind: 'entity_user', entityUserId: USER.toUpperCase() });
    await a.publishInvalidation({ kind: 'entity', entityId: ENTITY });
    await a.publishInvalidation({ kind: 'all' });
    await eventually(() => heardB.length === 3, 1_000);

    expect(heardB).toEqual([
      { kind: 'entity_user', entityUserId: USER },
      { kind: 'entity', entityId: ENTITY },
      { kind: 'all' },
    ]);
    expect(heardA).toEqual([]);
  });

  it('messages nobody holding the key signed are ignored: forged, tampered, replayed, another client’s', async () => {
    const { a, b, heardB } = await twoListening();
    const captured: string[] = [];
    const spy = admin.duplicate();
    spy.on('message', (_channel: string, message: string) => captured.push(message));
    await spy.subscribe(CHANNEL);
    await a.publishInvalidation({ kind: 'all' });
    await eventually(() => captured.length === 1 && heardB.length === 1, 1_000);
    const genuine = captured[0]!;
    heardB.length = 0;

    const [version, keyId, body] = genuine.split('.');
    const forged = [
      JSON.stringify({ kind: 'all' }),
      `${version}.${keyId}.${payload({ s: 'x', n: 'y', t: Date.now(), i: { kind: 'all' } })}.${'A'.repeat(43)}`,
      `${version}.${keyId}.${body}.${createHmac('sha256', randomBytes(32)).update('x').digest('base64url')}`,
      genuine.slice(0, -2) + (genuine.at(-2) === 'A' ? 'B' : 'A') + genuine.at(-1),
      genuine, // a replay
    ];
    // Another app's replica (other credentials, so another derived key) on the same Redis.
    const stranger = factory.create({ encryptionKey: randomBytes(32) });
    await stranger.publishInvalidation({ kind: 'all' });
    for (const message of forged) await admin.publish(CHANNEL, message);
    // A genuine one after them all: once it arrived, everything before it was handled.
    await a.publishInvalidation({ kind: 'entity', entityId: ENTITY });
    await eventually(() => heardB.length > 0, 1_000);
    spy.disconnect();

    expect(heardB).toEqual([{ kind: 'entity', entityId: ENTITY }]);
    expect(b.usingFallback).toBe(false);
  });

  it('the subscriber loses its connection: once it listens again, listeners hear { kind: "all" }', async () => {
    const { a, b, heardB } = await twoListening();

    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(() => heardB.length > 0, 5_000);
    expect(heardB).toEqual([{ kind: 'all' }]);
    expect(b.listeningForInvalidations).toBe(true);
    // And it still hears the others.
    await a.publishInvalidation({ kind: 'entity_user', entityUserId: USER });
    await eventually(() => heardB.length === 2, 1_000);
  });

  it('switching to the in-memory fallback and back: { kind: "all" } each time', async () => {
    const { b, heardB } = await twoListening({ commandTimeoutMs: 200, recoveryCheckIntervalMs: 100 });

    await admin.call('CLIENT', 'PAUSE', '800', 'WRITE');
    await b.set('k', storedToken('tok-k')); // times out: the fallback takes over
    expect(b.usingFallback).toBe(true);
    expect(heardB).toEqual([{ kind: 'all' }]);
    await eventually(() => !b.usingFallback, 5_000);

    expect(heardB).toEqual([{ kind: 'all' }, { kind: 'all' }]);
  });

  it('published while this replica’s link to Redis is down: kept, and sent once it is back', async () => {
    const proxy = await LatencyProxy.start(redis.port);
    try {
      const fast = { commandTimeoutMs: 200, recoveryCheckIntervalMs: 100 };
      const a = factory.create(fast, proxy.port); // partitioned below; B keeps its connection
      const b = factory.create(fast);
      const heardB = listen(b);
      listen(a);
      await eventually(() => a.listeningForInvalidations && b.listeningForInvalidations, 5_000);
      heardB.length = 0;

      proxy.cut();
      await a.publishInvalidation({ kind: 'entity_user', entityUserId: USER });
      expect(a.usingFallback).toBe(true);
      await settle(200);
      expect(heardB).toEqual([]);
      proxy.restore();
      await eventually(() => heardB.length > 0, 10_000);

      expect(heardB).toEqual([{ kind: 'entity_user', entityUserId: USER }]);
      await eventually(() => !a.usingFallback && a.listeningForInvalidations, 10_000);
    } finally {
      await proxy.close();
    }
  });

  it('the last listener leaving closes the subscriber connection', async () => {
    const store = factory.create();
    const stop = store.subscribeInvalidations(() => undefined);
    await eventually(() => store.listeningForInvalidations, 5_000);
    expect(await subscribers()).toBe(1);

    stop();
    expect(store.listeningForInvalidations).toBe(false);
    for (let i = 0; i < 100 && (await subscribers()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await subscribers()).toBe(0);
  });
});
