/*
 * Checklist 42 for the Redis store: whatever it was configured with and has done (tokens stored,
 * read, revoked, kept in its fallback, invalidations sent and heard), inspecting, serialising or
 * printing it shows no encryption key, no derived key, no token and no Redis password.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { Redis } from 'ioredis';
import { RedisTokenStore, type RedisTokenStoreOptions } from 'nestjs-monite-auth';
import { eventually } from '../tokens/token-test-kit.js';
import { RedisServer } from './redis-server.js';
import { SEALING_MATERIAL, StoreFactory, storedToken } from './store-kit.js';

const KEY = randomBytes(32);
const PREVIOUS_KEY = randomBytes(32);
const PASSWORD = `redis-password-${randomBytes(8).toString('hex')}`;

/** Every printable form of a byte string a careless view could show. */
function forms(bytes: Buffer): string[] {
  return [
    bytes.toString('hex'),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    bytes.toString('latin1'),
  ];
}

/** Every way a user could look at something. */
function views(value: unknown): string[] {
  const deep = { depth: Infinity, showHidden: true, getters: true } as const;
  return [
    inspect(value),
    inspect(value, deep),
    inspect(value, { ...deep, showProxy: true, customInspect: false }),
    JSON.stringify(value) ?? '',
    String(value),
    `${value as string}`,
    Reflect.ownKeys(value as object)
      .map(String)
      .join(','),
  ];
}

const CONFIGURATIONS: [string, Partial<RedisTokenStoreOptions>][] = [
  ['encryptionKey as a Buffer', { encryptionKey: KEY }],
  ['encryptionKey as hex', { encryptionKey: KEY.toString('hex') }],
  ['encryptionKey as base64', { encryptionKey: KEY.toString('base64') }],
  ['a rotation list', { encryptionKey: [KEY, PREVIOUS_KEY.toString('hex')] }],
  ['no encryptionKey (handed-over key)', {}],
];

describe('42: nothing secret is reachable by inspecting a RedisTokenStore', () => {
  let redis: RedisServer;
  let admin: Redis;
  let factory: StoreFactory;

  beforeAll(async () => {
    redis = await RedisServer.start();
    admin = redis.client();
    await admin.config('SET', 'requirepass', PASSWORD);
    factory = new StoreFactory(redis);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });
  afterEach(() => factory.close());

  it.each(CONFIGURATIONS)('42: %s, after every kind of use', async (_name, options) => {
    const client = factory.client(undefined, PASSWORD);
    const store = factory.create({ ...options, client, commandTimeoutMs: 200, recoveryCheckIntervalMs: 100 });
    const tokens = Array.from({ length: 4 }, () => `tok-${randomBytes(24).toString('base64url')}`);
    const heard: unknown[] = [];
    store.subscribeInvalidations((invalidation) => heard.push(invalidation));
    await eventually(() => store.listeningForInvalidations, 5_000);

    await store.set('monite-token:s:user:00000000-0000-4000-a000-000000000001', storedToken(tokens[0]!));
    await store.get('monite-token:s:user:00000000-0000-4000-a000-000000000001');
    await store.coordinateMint('monite-token:s:partner', async () => {
      await store.set('monite-token:s:partner', storedToken(tokens[1]!));
      return storedToken(tokens[1]!);
    });
    await store.deleteToken(tokens[0]!, 'monite-token:s:user:00000000-0000-4000-a000-000000000001');
    await store.publishInvalidation({ kind: 'entity', entityId: '00000000-0000-4000-8000-000000000001' });
    // A write that times out leaves its token in the in-process fallback.
    await admin.call('CLIENT', 'PAUSE', '400', 'WRITE');
    await store.set('monite-token:s:user:00000000-0000-4000-a000-000000000002', storedToken(tokens[2]!));
    expect(store.usingFallback).toBe(true);
    const refused = await new RedisTokenStore({ client }).get('k').catch((error: unknown) => error);

    const secrets = [...forms(KEY), ...forms(PREVIOUS_KEY), ...forms(SEALING_MATERIAL), PASSWORD, ...tokens];
    for (const seen of [...views(store), ...views(refused), ...views(heard)]) {
      for (const secret of secrets) expect(seen).not.toContain(secret);
      // No bytes at all: a key, derived or not, would show as a Buffer.
      expect(seen).not.toMatch(/<Buffer|Uint8Array|ArrayBuffer/);
    }
    expect(Reflect.ownKeys(store)).toEqual([]);
    expect(JSON.stringify(store)).toBe('{}');
    await eventually(() => !store.usingFallback, 5_000);
  });
});
