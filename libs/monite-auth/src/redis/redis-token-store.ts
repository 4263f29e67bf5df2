import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { InMemoryTokenStore } from '../tokens/in-memory-token-store.js';
import type { MoniteTokenStore, StoredToken } from '../tokens/monite-token-store.js';
import type { RedisTokenStoreClient } from './redis-client.js';
import { DELETE_IF_TOKEN, EXTEND_LOCK, RELEASE_LOCK } from './redis-scripts.js';
import {
  resolveRedisTokenStoreOptions,
  type RedisTokenStoreOptions,
  type ResolvedRedisTokenStoreOptions,
} from './redis-token-store.options.js';
import { SharedStoreHealth } from './shared-store-health.js';
import { StoredTokenCodec } from './stored-token-codec.js';

/** ioredis states in which a command would only queue: go to the fallback at once instead. */
const DISCONNECTED = new Set(['reconnecting', 'disconnecting', 'close', 'end']);
/** Most revocations remembered during an outage, replayed on Redis when it returns. */
const MAX_PENDING_DELETIONS = 10_000;

class RedisUnavailableError extends Error {}

/**
 * A {@link MoniteTokenStore} in Redis, shared by every replica: one partner token and one token per
 * entity user for all of them, and a revocation on one replica reaches the others (each reads the
 * store on every call; nothing is copied locally while Redis is up).
 *
 * - Distributed single flight (`coordinateMint`): the replica that takes the key's lock
 *   (`SET NX PX`, random value, extended while it is alive, released by compare-and-delete) mints;
 *   the others poll for its token and mint themselves only after `waitTimeoutMs`.
 * - Entries live exactly as long as their token (`PX`), with an index by token id for revocation,
 *   optionally sealed with AES-256-GCM.
 * - Redis down or slower than `commandTimeoutMs`: an in-process store takes over (warned once per
 *   outage), until Redis answers again; revocations made meanwhile are then replayed on Redis.
 */
export class RedisTokenStore implements MoniteTokenStore {
  private readonly options: ResolvedRedisTokenStoreOptions;
  private readonly client: RedisTokenStoreClient;
  private readonly codec: StoredTokenCodec;
  private readonly health: SharedStoreHealth;
  private readonly fallback = new InMemoryTokenStore();
  /** Deletions Redis missed while it was down (store keys and token ids). */
  private readonly pendingKeys = new Set<string>();
  private readonly pendingTokenIds = new Set<string>();
  private closed = false;

  constructor(options: RedisTokenStoreOptions) {
    this.options = resolveRedisTokenStoreOptions(options);
    this.client = this.options.client;
    this.codec = new StoredTokenCodec(this.options.encryptionKey);
    this.health = new SharedStoreHealth({
      probe: async () => {
        await this.run(() => this.client.ping());
      },
      onRecovered: () => this.recover(),
      intervalMs: this.options.recoveryCheckIntervalMs,
      logger: options.logger ?? new Logger('MoniteAuth'),
    });
  }

  /** True while Redis is unreachable and tokens are kept in this process only. */
  get usingFallback(): boolean {
    return this.health.usingFallback;
  }

  async get(key: string): Promise<StoredToken | undefined> {
    return this.shared(
      async () => {
        const entryKey = this.entryKey(key);
        const value = await this.run(() => this.client.get(entryKey));
        if (value === null) return undefined;
        const token = this.codec.decode(entryKey, value);
        return token !== undefined && Date.now() < token.expiresAt ? token : undefined;
      },
      () => this.fallback.get(key),
    );
  }

  async set(key: string, token: StoredToken): Promise<void> {
    const ttlMs = Math.floor(token.expiresAt - Date.now());
    if (ttlMs <= 0) return this.delete(key);
    await this.shared(
      async () => {
        const entryKey = this.entryKey(key);
        const value = this.codec.encode(entryKey, token);
        await this.run(() => this.client.set(entryKey, value, 'PX', ttlMs));
        const indexKey = this.indexKey(this.codec.tokenId(token.accessToken));
        await this.run(() => this.client.set(indexKey, entryKey, 'PX', ttlMs));
      },
      () => this.fallback.set(key, token),
    );
  }

  async delete(key: string): Promise<void> {
    await this.fallback.delete(key);
    await this.shared(
      async () => {
        await this.run(() => this.client.del(this.entryKey(key)));
      },
      async () => remember(this.pendingKeys, key),
    );
  }

  async deleteToken(accessToken: string): Promise<void> {
    await this.fallback.deleteToken(accessToken);
    const tokenId = this.codec.tokenId(accessToken);
    await this.shared(
      () => this.deleteTokenId(tokenId),
      async () => remember(this.pendingTokenIds, tokenId),
    );
  }

  /**
   * Mints under the key's lock, or waits for the token the lock holder stores. Gives up waiting
   * after `waitTimeoutMs` (then mints here); without Redis, mints here at once.
   */
  async coordinateMint(key: string, mint: () => Promise<StoredToken>): Promise<StoredToken> {
    if (this.health.usingFallback) return mint();
    const lockKey = this.lockKey(key);
    const holder = randomUUID();
    const seen = await this.get(key);
    const deadline = performance.now() + this.options.waitTimeoutMs;
    for (;;) {
      let acquired: boolean;
      try {
        const reply = await this.run(() =>
          this.client.set(lockKey, holder, 'PX', this.options.lockTtlMs, 'NX'),
        );
        acquired = reply === 'OK';
      } catch {
        this.health.failed();
        return mint();
      }
      if (acquired) return this.mintHoldingLock(key, lockKey, holder, mint);

      await sleep(Math.round(this.options.pollIntervalMs * (0.5 + Math.random())));
      const current = await this.get(key);
      if (current !== undefined && isNewerOrFresh(current, seen)) return current;
      if (this.health.usingFallback || this.closed || performance.now() >= deadline) return mint();
    }
  }

  /** Stops the recovery timer (called by Nest at shutdown when the store is a provider). */
  onModuleDestroy(): void {
    this.closed = true;
    this.health.stop();
  }

  private async mintHoldingLock(
    key: string,
    lockKey: string,
    holder: string,
    mint: () => Promise<StoredToken>,
  ): Promise<StoredToken> {
    const { lockTtlMs } = this.options;
    // Keeps the lock while this process lives; if it dies, the lock expires within lockTtlMs.
    const keepAlive = setInterval(
      () => {
        this.run(() => this.client.eval(EXTEND_LOCK, 1, lockKey, holder, lockTtlMs)).catch(() => undefined);
      },
      Math.max(1, Math.floor(lockTtlMs / 3)),
    );
    keepAlive.unref();
    try {
      // Another replica may have stored a token between our last look and the lock.
      const current = await this.get(key);
      if (current !== undefined && Date.now() < current.refreshAt) return current;
      return await mint();
    } finally {
      clearInterval(keepAlive);
      await this.run(() => this.client.eval(RELEASE_LOCK, 1, lockKey, holder)).catch(() => undefined);
    }
  }

  private async deleteTokenId(tokenId: string): Promise<void> {
    const indexKey = this.indexKey(tokenId);
    const entryKey = await this.run(() => this.client.get(indexKey));
    if (entryKey !== null) {
      await this.run(() => this.client.eval(DELETE_IF_TOKEN, 1, entryKey, `${tokenId}.`));
    }
    await this.run(() => this.client.del(indexKey));
  }

  /** Replays what Redis missed, then forgets the tokens kept in this process during the outage. */
  private async recover(): Promise<void> {
    for (const key of this.pendingKeys) {
      await this.run(() => this.client.del(this.entryKey(key)));
      this.pendingKeys.delete(key);
    }
    for (const tokenId of this.pendingTokenIds) {
      await this.deleteTokenId(tokenId);
      this.pendingTokenIds.delete(tokenId);
    }
    this.fallback.clear();
  }

  /** Runs `operation` on Redis, or `fallback` while Redis is down or when the operation fails. */
  private async shared<T>(operation: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (this.health.usingFallback) return fallback();
    try {
      return await operation();
    } catch {
      this.health.failed();
      return fallback();
    }
  }

  /** One Redis command, failed fast while disconnected and bounded by `commandTimeoutMs`. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    const status = this.client.status;
    if (status !== undefined && DISCONNECTED.has(status)) throw new RedisUnavailableError();
    const pending = command();
    // A command given up on may still settle later; its outcome is of no interest then.
    pending.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError()), this.options.commandTimeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private entryKey(key: string): string {
    return `${this.options.keyPrefix}${key}`;
  }

  private lockKey(key: string): string {
    return `${this.options.keyPrefix}lock:${key}`;
  }

  private indexKey(tokenId: string): string {
    return `${this.options.keyPrefix}token-id:${tokenId}`;
  }
}

/** A token another replica stored for us: fresh, or at least not the one we started from. */
function isNewerOrFresh(token: StoredToken, seen: StoredToken | undefined): boolean {
  const now = Date.now();
  return now < token.refreshAt || (token.accessToken !== seen?.accessToken && now < token.expiresAt);
}

function remember(pending: Set<string>, item: string): void {
  if (pending.size >= MAX_PENDING_DELETIONS) pending.delete(pending.values().next().value!);
  pending.add(item);
}
