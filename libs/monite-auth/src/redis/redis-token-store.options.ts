import { MoniteConfigurationError } from '../errors/index.js';
import { systemClock, type MoniteClock } from '../tokens/monite-clock.js';
import type { RedisTokenStoreClient } from './redis-client.js';

/** Receives the store's two messages: unavailable (warn, once per outage) and recovered (log). */
export interface RedisTokenStoreLogger {
  warn(message: string): void;
  log(message: string): void;
}

export interface RedisTokenStoreOptions {
  /** An existing ioredis `Redis` or `Cluster` client (or anything with the same commands). Not closed by the store. */
  client: RedisTokenStoreClient;
  /** Prefix of every key the store writes. Default `monite-auth:`. */
  keyPrefix?: string;
  /**
   * Root key of the AES-256-GCM sealing of tokens at rest: 32 bytes, as a Buffer/Uint8Array, 64 hex
   * characters or base64; or a list `[current, ...previous]` for a rotation: values sealed with any
   * listed key are read, new values are sealed with the first. Without it, values are sealed with
   * a key derived from the client credentials, which the token service hands over
   * (`useDerivedSealingKey`). A value sealed with a key not listed reads as a miss.
   */
  encryptionKey?: Uint8Array | string | readonly (Uint8Array | string)[];
  /**
   * Life of the mint lock. The holder extends it while it is alive, so this bounds how long a
   * holder that died keeps the others waiting. Default 5,000 ms.
   */
  lockTtlMs?: number;
  /**
   * Longest a replica waits for another one's token before it requests its own. Must exceed
   * `lockTtlMs`, so a dead holder is replaced by one replica rather than by all. Default: the token
   * service's worst-case token request (`maxMintMs`) plus `lockTtlMs`, and at least 15,000 ms, so
   * replicas waiting for a slow mint do not all mint.
   */
  waitTimeoutMs?: number;
  /** How often a waiting replica looks for the token (jittered). Default 50 ms. */
  pollIntervalMs?: number;
  /** A Redis command slower than this counts as Redis being down. Default 1,000 ms. */
  commandTimeoutMs?: number;
  /** While Redis is down, how often it is checked for recovery. Default 1,000 ms. */
  recoveryCheckIntervalMs?: number;
  /** Default: Nest's `Logger` with context `MoniteAuth`. */
  logger?: RedisTokenStoreLogger;
  /**
   * Time for expiry checks, TTLs, polls and wait deadlines; the same clock as the module's
   * (`MONITE_AUTH_CLOCK`) in tests. Default: the system clock.
   */
  clock?: MoniteClock;
}

export interface ResolvedRedisTokenStoreOptions {
  readonly client: RedisTokenStoreClient;
  readonly keyPrefix: string;
  /** Configured root keys, current first; empty without `encryptionKey`. */
  readonly encryptionKeys: readonly Buffer[];
  readonly lockTtlMs: number;
  readonly waitTimeoutMs: number;
  /** Whether `waitTimeoutMs` was set (then it wins over the token service's `maxMintMs`). */
  readonly waitTimeoutExplicit: boolean;
  readonly pollIntervalMs: number;
  readonly commandTimeoutMs: number;
  readonly recoveryCheckIntervalMs: number;
  readonly clock: MoniteClock;
}

export const REDIS_TOKEN_STORE_DEFAULTS = {
  keyPrefix: 'monite-auth:',
  lockTtlMs: 5_000,
  waitTimeoutMs: 15_000,
  pollIntervalMs: 50,
  commandTimeoutMs: 1_000,
  recoveryCheckIntervalMs: 1_000,
} as const;

const COMMANDS = ['get', 'set', 'del', 'eval', 'ping'] as const;

/** Fills defaults; a bad option throws a `MoniteConfigurationError` naming it (never its value). */
export function resolveRedisTokenStoreOptions(
  options: RedisTokenStoreOptions,
): ResolvedRedisTokenStoreOptions {
  const client = options?.client as unknown as Record<string, unknown> | undefined;
  if (
    typeof client !== 'object' ||
    client === null ||
    COMMANDS.some((name) => typeof client[name] !== 'function')
  ) {
    throw configError('client', 'must be an ioredis client (Redis or Cluster)');
  }
  const keyPrefix = options.keyPrefix ?? REDIS_TOKEN_STORE_DEFAULTS.keyPrefix;
  if (typeof keyPrefix !== 'string') throw configError('keyPrefix', 'must be a string');
  const lockTtlMs = duration(options, 'lockTtlMs');
  const waitTimeoutExplicit = options.waitTimeoutMs !== undefined;
  const waitTimeoutMs = waitTimeoutExplicit
    ? duration(options, 'waitTimeoutMs')
    : Math.max(REDIS_TOKEN_STORE_DEFAULTS.waitTimeoutMs, lockTtlMs * 3);
  if (waitTimeoutMs <= lockTtlMs) throw configError('waitTimeoutMs', 'must be greater than lockTtlMs');
  return Object.freeze({
    client: options.client,
    keyPrefix,
    encryptionKeys: parseEncryptionKeys(options.encryptionKey),
    lockTtlMs,
    waitTimeoutMs,
    waitTimeoutExplicit,
    pollIntervalMs: duration(options, 'pollIntervalMs'),
    commandTimeoutMs: duration(options, 'commandTimeoutMs'),
    recoveryCheckIntervalMs: duration(options, 'recoveryCheckIntervalMs'),
    clock: parseClock(options.clock),
  });
}

function duration(
  options: RedisTokenStoreOptions,
  name: keyof typeof REDIS_TOKEN_STORE_DEFAULTS & `${string}Ms`,
): number {
  const value = options[name] ?? REDIS_TOKEN_STORE_DEFAULTS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw configError(name, 'must be a positive integer (milliseconds)');
  }
  return value;
}

function parseEncryptionKeys(keys: RedisTokenStoreOptions['encryptionKey']): Buffer[] {
  if (keys === undefined) return [];
  const list: unknown[] = Array.isArray(keys) ? keys : [keys];
  if (list.length === 0) throw configError('encryptionKey', 'must hold at least one key when it is a list');
  return list.map(parseEncryptionKey);
}

function parseEncryptionKey(key: unknown): Buffer {
  let bytes: Buffer | undefined;
  if (key instanceof Uint8Array) bytes = Buffer.from(key);
  else if (typeof key === 'string') {
    bytes = /^[0-9a-f]{64}$/i.test(key) ? Buffer.from(key, 'hex') : Buffer.from(key, 'base64');
  }
  // The key is never quoted back.
  if (bytes === undefined || bytes.length !== 32) {
    throw configError('encryptionKey', 'must be 32 bytes (a Buffer, 64 hex characters or base64)');
  }
  return bytes;
}

function parseClock(clock: MoniteClock | undefined): MoniteClock {
  if (clock === undefined) return systemClock;
  const methods = clock as unknown as Record<string, unknown>;
  if (
    typeof clock !== 'object' ||
    clock === null ||
    ['now', 'monotonic', 'sleep'].some((m) => typeof methods[m] !== 'function')
  ) {
    throw configError('clock', 'must be a MoniteClock (now, monotonic, sleep)');
  }
  return clock;
}

function configError(option: string, problem: string): MoniteConfigurationError {
  return new MoniteConfigurationError(`nestjs-monite-auth: RedisTokenStore option "${option}" ${problem}`);
}
