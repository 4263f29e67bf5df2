/*
 * Tokens at rest, checklist 51 and the review's findings on keys: a key rotation across replicas
 * costs one token request per key; values sealed in the previous format stay readable (the upgrade
 * costs no token request); the token id and the cipher use separate derived keys; and without an
 * `encryptionKey` values are sealed too, bound to their Redis key.
 */
import { createDecipheriv, randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { MoniteEmulator } from 'monite-emulator';
import { MoniteConfigurationError, RedisTokenStore, type RedisTokenStoreOptions } from 'nestjs-monite-auth';
import request from 'supertest';
import { ADAPTERS, startApp } from '../support/nest-app.js';
import { startEmulator, userId } from '../tokens/token-test-kit.js';
import { legacyTokenId, writeLegacyEntry } from './legacy-format.js';
import { RedisServer } from './redis-server.js';
import { SEALING_MATERIAL, StoreFactory, storedToken } from './store-kit.js';
import { tokenAppModule } from './token-app.js';

const TOKEN_ROUTE = 'POST /v1/auth/token';
const K1 = randomBytes(32);
const K2 = randomBytes(32);
const K3 = randomBytes(32);

/** GETs a token route of an app: the access token. */
async function get(app: INestApplication, path: string): Promise<string> {
  return ((await request(app.getHttpServer()).get(path).expect(200)).body as { accessToken: string })
    .accessToken;
}

/** Each app in turn asks for the partner token and three users' tokens, `rounds` times. */
const alternate = async (replicas: INestApplication[], rounds: number) => {
  const seen = new Set<string>();
  for (let round = 0; round < rounds; round++) {
    for (const app of replicas) {
      seen.add(await get(app, '/token/partner'));
      for (const n of [1, 2, 3]) seen.add(await get(app, `/token/user/${userId(n)}`));
    }
  }
  return seen;
};

describe('Redis tokens at rest: keys, rotation, upgrade (real redis-server)', () => {
  let redis: RedisServer;
  let admin: Redis;
  let emulator: MoniteEmulator;
  let factory: StoreFactory;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = redis.client();
    factory = new StoreFactory(redis);
    emulator = await startEmulator(10);
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

  describe.each(ADAPTERS)('replicas as Nest apps (%s)', (adapter) => {
    const boot = async (options: Partial<RedisTokenStoreOptions>) => {
      const app = await startApp(adapter, tokenAppModule(emulator, factory.create(options)));
      apps.push(app);
      return app;
    };
    it('51: two replicas with [K1, K2] and [K2, K1] (mid-rotation): one token request per key in all', async () => {
      const replicas = [await boot({ encryptionKey: [K1, K2] }), await boot({ encryptionKey: [K2, K1] })];

      const tokens = await alternate(replicas, 10);

      expect(tokens.size).toBe(4);
      expect(emulator.count(TOKEN_ROUTE)).toBe(4);
    });

    it('51: the documented rollout ([K1] -> [K1, K2] -> [K2, K1] -> [K2]), replicas replaced one by one', async () => {
      let replicas = [await boot({ encryptionKey: K1 }), await boot({ encryptionKey: K1 })];
      await alternate(replicas, 2);
      // Each step replaces the replicas one at a time, so old and new configurations overlap.
      const replaceBoth = async (encryptionKey: RedisTokenStoreOptions['encryptionKey']) => {
        for (let i = 0; i < 2; i++) {
          replicas = [replicas[1]!, await boot({ encryptionKey })];
          await alternate(replicas, 2);
        }
      };
      await replaceBoth([K1, K2]);
      await replaceBoth([K2, K1]);
      const beforeDrop = emulator.count(TOKEN_ROUTE);
      await replaceBoth(K2);

      // Steps 1 and 2 cost nothing: the first requests were all.
      expect(beforeDrop).toBe(4);
      // Step 3 here comes before the tokens sealed with K1 expired (the guide says to wait one token
      // lifetime): then each such token is requested once more, by one replica, and never again.
      expect(emulator.count(TOKEN_ROUTE) - beforeDrop).toBe(4);
    });

    it('upgrade: tokens sealed by the previous version (gcm1, raw key) are served without a token request', async () => {
      const app = await boot({ encryptionKey: K1 });
      // Learn the app's store keys, then replace what it stored with entries in the old format.
      const fresh = [await get(app, '/token/partner'), await get(app, `/token/user/${userId(1)}`)];
      const keys = (await admin.keys('monite-auth:{tokens}:entry:*')).map((k) => k.split(':entry:')[1]!);
      await admin.flushall();
      for (const key of keys) {
        const token = key.endsWith(':partner') ? fresh[0]! : fresh[1]!;
        await writeLegacyEntry(admin, 'monite-auth:', key, storedToken(token, 600_000), K1);
      }
      const before = emulator.count(TOKEN_ROUTE);

      expect(await get(app, '/token/partner')).toBe(fresh[0]);
      expect(await get(app, `/token/user/${userId(1)}`)).toBe(fresh[1]);
      expect(emulator.count(TOKEN_ROUTE)).toBe(before);
    });
  });

  it('upgrade: a rotation list reads old-format values sealed with any listed raw key, and revokes them', async () => {
    const store = factory.create({ encryptionKey: [K2, K1] });
    const token = storedToken('tok-from-the-old-version');
    await writeLegacyEntry(admin, 'monite-auth:', 'k-old', token, K1);

    expect((await store.get('k-old'))?.accessToken).toBe(token.accessToken);
    await store.deleteToken(token.accessToken);
    expect(await admin.exists('monite-auth:k-old')).toBe(0);
    expect(await admin.exists(`monite-auth:token-id:${legacyTokenId(token.accessToken, K1)}`)).toBe(0);
  });

  it('the token id and the cipher use keys derived from the root key (HKDF), not the root key itself', async () => {
    const store = factory.create({ encryptionKey: K1 });
    await store.set('k', storedToken('tok-derived'));
    const raw = (await admin.get('monite-auth:{tokens}:entry:k'))!;
    const [tokenId, envelope] = [raw.slice(0, raw.indexOf('.')), raw.slice(raw.indexOf('.') + 1)];

    expect(envelope).toMatch(/^s2\.[\w-]+\./); // versioned envelope naming its key
    expect(tokenId).not.toBe(legacyTokenId('tok-derived', K1));
    // The body does not open with the root key, whatever the associated data.
    const [, keyId, body] = envelope.split('.');
    const sealed = Buffer.from(body!, 'base64url');
    for (const aad of ['monite-auth:{tokens}:entry:k', `s2.${keyId}\nmonite-auth:{tokens}:entry:k`]) {
      const decipher = createDecipheriv('aes-256-gcm', K1, sealed.subarray(0, 12));
      decipher.setAAD(Buffer.from(aad));
      decipher.setAuthTag(sealed.subarray(12, 28));
      decipher.update(sealed.subarray(28));
      expect(() => decipher.final()).toThrow();
    }
  });

  it('a rotation list reads values written with any listed key and writes with the first', async () => {
    const [old, rotating] = [
      factory.create({ encryptionKey: K1 }),
      factory.create({ encryptionKey: [K2, K1] }),
    ];
    await old.set('a', storedToken('tok-a'));
    await rotating.set('b', storedToken('tok-b'));

    expect((await rotating.get('a'))?.accessToken).toBe('tok-a');
    expect(await old.get('b')).toBeUndefined(); // sealed with K2, which `old` does not hold
    expect((await factory.create({ encryptionKey: K2 }).get('b'))?.accessToken).toBe('tok-b');
    expect(await factory.create({ encryptionKey: K3 }).get('a')).toBeUndefined();
  });

  it('adding an encryptionKey costs nothing: values sealed with the handed-over key stay readable', async () => {
    await factory.create().set('k', storedToken('tok-derived-key'));
    const configured = factory.create({ encryptionKey: K1 });
    configured.useDerivedSealingKey(SEALING_MATERIAL); // as the token service does

    expect((await configured.get('k'))?.accessToken).toBe('tok-derived-key');
    await configured.set('k2', storedToken('tok-k1'));
    expect(await factory.create().get('k2')).toBeUndefined(); // written with K1, the first key
  });

  it('no encryptionKey: sealed with the handed-over key; Redis holds no token; another user’s value is a miss there', async () => {
    const store = factory.create();
    const secret = `tok-${randomBytes(16).toString('hex')}`;
    await store.set('monite-token:s:user:a', storedToken(secret));
    await store.set('monite-token:s:user:b', storedToken('tok-b'));
    const raw = (await admin.get('monite-auth:{tokens}:entry:monite-token:s:user:a'))!;

    expect(raw).not.toContain(secret);
    expect(raw).not.toContain(Buffer.from(secret).toString('base64'));
    // Someone who can write Redis plants user a's token under user b's key: b reads a miss.
    await admin.set('monite-auth:{tokens}:entry:monite-token:s:user:b', raw);
    expect(await store.get('monite-token:s:user:b')).toBeUndefined();
    // A replica of another client (other credentials, other derived key) reads nothing either.
    const other = new RedisTokenStore({ client: factory.client() });
    other.useDerivedSealingKey(randomBytes(32));
    expect(await other.get('monite-token:s:user:a')).toBeUndefined();
  });

  it('no encryptionKey and no key handed over yet: refuses to read or write, and writes nothing', async () => {
    const store = new RedisTokenStore({ client: factory.client() });

    await expect(store.set('k', storedToken('tok-unsealed'))).rejects.toThrow(MoniteConfigurationError);
    await expect(store.get('k')).rejects.toThrow(/encryptionKey/);
    await expect(store.coordinateMint('k', async () => storedToken('x'))).rejects.toThrow(
      MoniteConfigurationError,
    );
    expect(await admin.dbsize()).toBe(0);
    expect(() => store.useDerivedSealingKey(new Uint8Array(4))).toThrow(MoniteConfigurationError);
  });
});
