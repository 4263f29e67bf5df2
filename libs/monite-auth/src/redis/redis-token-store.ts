import { Logger } from '@nestjs/common';
import { MoniteConfigurationError } from '../errors/index.js';
import { InMemoryTokenStore } from '../tokens/in-memory-token-store.js';
import type { MoniteInvalidation, MoniteInvalidationListener } from '../tokens/monite-invalidations.js';
import type { MoniteMintLimits, MoniteTokenStore, StoredToken } from '../tokens/monite-token-store.js';
import { InvalidationChannel } from './invalidation-channel.js';
import { readInvalidation } from './invalidation-message.js';
import { RedisCommands } from './redis-commands.js';
import { RedisKeyLayout } from './redis-key-layout.js';
import { RedisMintLock } from './redis-mint-lock.js';
import { RedisOutageBacklog } from './redis-outage-backlog.js';
import { RedisRevocations, type Revocation } from './redis-revocations.js';
import { WRITE_ENTRY } from './redis-scripts.js';
import {
  resolveRedisTokenStoreOptions,
  type RedisTokenStoreOptions,
  type ResolvedRedisTokenStoreOptions,
} from './redis-token-store.options.js';
import { SealingKeyring } from './sealing-keys.js';
import { SharedStoreHealth } from './shared-store-health.js';
import { StoredTokenCodec } from './stored-token-codec.js';

const ALL: MoniteInvalidation = Object.freeze({ kind: 'all' });

/**
 * A {@link MoniteTokenStore} in Redis, shared by every replica: one partner token and one token per
 * entity user for all of them, and a revocation on one replica reaches the others.
 *
 * - Distributed single flight (`coordinateMint`, see `RedisMintLock`).
 * - Entries live exactly as long as their token, sealed (AES-256-GCM, HKDF-derived keys) with
 *   `encryptionKey` or the key the token service hands over; written with their token index in
 *   one atomic step that a revocation marker can refuse.
 * - Invalidations (revoked users, `invalidateEntityUser` ...) travel between replicas over pub/sub.
 * - Redis down or slower than `commandTimeoutMs`: an in-process store takes over (warned once per
 *   outage), until Redis answers again; revocations made meanwhile are then replayed on Redis.
 *
 * Every field is private (`#`): inspecting or serialising the store shows no key and no token.
 */
export class RedisTokenStore implements MoniteTokenStore {
  readonly #options: ResolvedRedisTokenStoreOptions;
  readonly #commands: RedisCommands;
  readonly #layout: RedisKeyLayout;
  readonly #keys: SealingKeyring;
  readonly #codec: StoredTokenCodec;
  readonly #health: SharedStoreHealth;
  readonly #fallback: InMemoryTokenStore;
  readonly #channel: InvalidationChannel;
  readonly #revocations: RedisRevocations;
  readonly #mintLock: RedisMintLock;
  readonly #backlog = new RedisOutageBacklog();
  #closed = false;

  constructor(options: RedisTokenStoreOptions) {
    const resolved = resolveRedisTokenStoreOptions(options);
    const logger = options.logger ?? new Logger('MoniteAuth');
    this.#options = resolved;
    this.#commands = new RedisCommands(resolved.client, resolved.commandTimeoutMs);
    this.#layout = new RedisKeyLayout(resolved.keyPrefix);
    this.#keys = new SealingKeyring(resolved.encryptionKeys);
    this.#codec = new StoredTokenCodec(this.#keys);
    this.#fallback = new InMemoryTokenStore({ clock: resolved.clock });
    this.#channel = new InvalidationChannel({
      client: resolved.client,
      commands: this.#commands,
      channel: this.#layout.channel,
      keys: this.#keys,
      clock: resolved.clock,
      logger,
      failed: () => this.#health.failed(),
    });
    this.#revocations = new RedisRevocations(this.#commands, this.#layout);
    this.#health = new SharedStoreHealth({
      probe: async () => {
        await this.#commands.run((redis) => redis.ping());
      },
      onRecovered: () => this.#recover(),
      // While tokens are not shared, or were not, invalidations may have been missed.
      onSwitched: () => this.#channel.deliverLocally(ALL),
      intervalMs: resolved.recoveryCheckIntervalMs,
      logger,
    });
    this.#mintLock = new RedisMintLock({
      commands: this.#commands,
      layout: this.#layout,
      options: resolved,
      read: (key) => this.get(key),
      givingUp: () => this.#health.usingFallback || this.#closed,
      failed: () => this.#health.failed(),
    });
  }

  /** True while Redis is unreachable and tokens are kept in this process only. */
  get usingFallback(): boolean {
    return this.#health.usingFallback;
  }

  /** True while this process listens for other replicas' invalidations (pub/sub connected). */
  get listeningForInvalidations(): boolean {
    return this.#channel.listening;
  }

  /**
   * Key material for sealing values when no `encryptionKey` is configured (the token service calls
   * it once, with material derived from the client credentials; the first call wins). Until then a
   * store without `encryptionKey` neither reads nor writes tokens: it rejects with a
   * `MoniteConfigurationError` rather than keep a token readable in Redis.
   */
  useDerivedSealingKey(keyMaterial: Uint8Array): void {
    if (!(keyMaterial instanceof Uint8Array) || keyMaterial.length < 16) {
      throw new MoniteConfigurationError(
        'nestjs-monite-auth: RedisTokenStore.useDerivedSealingKey needs at least 16 bytes of key material',
      );
    }
    this.#keys.useDerived(keyMaterial);
  }

  async get(key: string): Promise<StoredToken | undefined> {
    this.#assertSealing();
    return this.#shared(
      async () => {
        const token =
          (await this.#read(this.#layout.entry(key))) ?? (await this.#read(this.#layout.legacyEntry(key)));
        return token !== undefined && this.#options.clock.now() < token.expiresAt ? token : undefined;
      },
      () => this.#fallback.get(key),
    );
  }

  async set(key: string, token: StoredToken): Promise<void> {
    this.#assertSealing();
    const ttlMs = Math.floor(token.expiresAt - this.#options.clock.now());
    if (ttlMs <= 0) return this.delete(key);
    const entryKey = this.#layout.entry(key);
    const sealed = this.#codec.encode(entryKey, token)!;
    const index = this.#layout.index(sealed.tokenId);
    const revoked = this.#layout.revoked(sealed.tokenId);
    await this.#shared(
      async () => {
        // Refused (0) when the token was revoked meanwhile: then it is kept nowhere.
        await this.#commands.run((redis) =>
          redis.eval(WRITE_ENTRY, 3, entryKey, index, revoked, sealed.value, ttlMs),
        );
      },
      () => this.#fallback.set(key, token),
    );
  }

  async delete(key: string): Promise<void> {
    await this.#fallback.delete(key);
    await this.#shared(
      () => this.#deleteEntries(key),
      async () => this.#backlog.addKey(key),
    );
  }

  /**
   * Revokes every entry holding this token: found by its token ids (one per key), and at `key` when
   * given, in one atomic step that also leaves a marker refusing a late write of it. The entity user
   * whose token it was is invalidated here and on every other replica.
   */
  async deleteToken(accessToken: string, key?: string): Promise<void> {
    await this.#fallback.deleteToken(accessToken);
    const revocation: Revocation = {
      tokenIds: this.#keys.tokenIds(accessToken),
      legacyTokenIds: this.#keys.legacyTokenIds(accessToken),
      key,
    };
    await this.#shared(
      () => this.#revoke(revocation),
      async () => this.#backlog.addRevocation(revocation),
    );
  }

  /**
   * Mints under the key's lock, or waits for the token the lock holder stores: at most
   * `waitTimeoutMs`, or by default long enough for `limits.maxMintMs`. Without Redis, mints at once.
   */
  async coordinateMint(
    key: string,
    mint: () => Promise<StoredToken>,
    limits?: MoniteMintLimits,
  ): Promise<StoredToken> {
    this.#assertSealing();
    if (this.#health.usingFallback) return mint();
    return this.#mintLock.coordinate(key, mint, limits);
  }

  /** Sends an invalidation to the other replicas (kept and sent later while Redis is down). */
  async publishInvalidation(invalidation: MoniteInvalidation): Promise<void> {
    this.#assertSealing();
    const checked = readInvalidation(invalidation);
    if (checked !== undefined) await this.#channel.publish(checked);
  }

  /**
   * Calls `listener` with the invalidations other replicas publish, the users of tokens this store
   * revoked, and `{ kind: 'all' }` whenever this process may have missed some: when the subscriber
   * (re)connects, and when the store switches to or back from its in-memory fallback.
   */
  subscribeInvalidations(listener: MoniteInvalidationListener): () => void {
    return this.#channel.subscribe(listener);
  }

  /** Stops the recovery timer and the subscriber (called by Nest at shutdown when the store is a provider). */
  onModuleDestroy(): void {
    this.#closed = true;
    this.#health.stop();
    this.#channel.close();
  }

  async #read(entryKey: string): Promise<StoredToken | undefined> {
    const value = await this.#commands.run((redis) => redis.get(entryKey));
    return value === null ? undefined : this.#codec.decode(entryKey, value);
  }

  async #deleteEntries(key: string): Promise<void> {
    // Two commands: the entries of the two layouts may live in different Cluster slots.
    await Promise.all([
      this.#commands.run((redis) => redis.del(this.#layout.entry(key))),
      this.#commands.run((redis) => redis.del(this.#layout.legacyEntry(key))),
    ]);
  }

  async #revoke(revocation: Revocation): Promise<void> {
    for (const entityUserId of await this.#revocations.revoke(revocation)) {
      const invalidation: MoniteInvalidation = { kind: 'entity_user', entityUserId };
      this.#channel.deliverLocally(invalidation);
      await this.#channel.publish(invalidation);
    }
  }

  /** Replays what Redis missed, then forgets the tokens kept in this process during the outage. */
  async #recover(): Promise<void> {
    await this.#backlog.replay(
      (key) => this.#deleteEntries(key),
      (revocation) => this.#revoke(revocation),
    );
    await this.#channel.flush();
    this.#fallback.clear();
  }

  /** Runs `operation` on Redis, or `fallback` while Redis is down or when the operation fails. */
  async #shared<T>(operation: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (this.#health.usingFallback) return fallback();
    try {
      return await operation();
    } catch {
      this.#health.failed();
      return fallback();
    }
  }

  #assertSealing(): void {
    if (this.#keys.writer !== undefined) return;
    throw new MoniteConfigurationError(
      'nestjs-monite-auth: RedisTokenStore has no sealing key: set its "encryptionKey" option, or use it ' +
        'as the tokenStore of MoniteAuthModule, which hands over a key derived from the client credentials',
    );
  }
}
