import { randomBytes } from 'node:crypto';
import { MoniteConfigurationError } from '../errors/index.js';
import { resolveRedisTokenStoreOptions, type RedisTokenStoreOptions } from './redis-token-store.options.js';

const client = { get: () => 0, set: () => 0, del: () => 0, eval: () => 0, ping: () => 0 } as never;
const resolve = (options: Partial<RedisTokenStoreOptions>) =>
  resolveRedisTokenStoreOptions({ client, ...options });

describe('RedisTokenStore options', () => {
  it('encryptionKey: one key or a list, current first; every form of 32 bytes', () => {
    const key = randomBytes(32);
    expect(resolve({}).encryptionKeys).toEqual([]);
    expect(resolve({ encryptionKey: key.toString('hex') }).encryptionKeys).toEqual([key]);
    const other = randomBytes(32);
    expect(resolve({ encryptionKey: [other.toString('base64'), key] }).encryptionKeys).toEqual([other, key]);
  });

  it('bad keys name the option, never the value', () => {
    const bad = 'k'.repeat(20);
    for (const encryptionKey of [bad, [randomBytes(32), bad], [], [42]] as never[]) {
      expect(() => resolve({ encryptionKey })).toThrow(MoniteConfigurationError);
      expect(() => resolve({ encryptionKey })).toThrow(/"encryptionKey"/);
      expect(() => resolve({ encryptionKey })).not.toThrow(new RegExp(bad));
    }
  });

  it('waitTimeoutMs: defaults past lockTtlMs and leaves room for maxMintMs; when set, it is checked and wins', () => {
    expect(resolve({})).toMatchObject({ waitTimeoutMs: 15_000, waitTimeoutExplicit: false });
    expect(resolve({ lockTtlMs: 10_000 })).toMatchObject({
      waitTimeoutMs: 30_000,
      waitTimeoutExplicit: false,
    });
    expect(resolve({ waitTimeoutMs: 7_000 })).toMatchObject({
      waitTimeoutMs: 7_000,
      waitTimeoutExplicit: true,
    });
    expect(() => resolve({ lockTtlMs: 8_000, waitTimeoutMs: 8_000 })).toThrow(/"waitTimeoutMs"/);
  });

  it('clock: the system clock by default; anything not a clock is refused', () => {
    expect(typeof resolve({}).clock.now()).toBe('number');
    expect(() => resolve({ clock: { now: () => 1, monotonic: () => 1 } as never })).toThrow(/"clock"/);
  });
});
