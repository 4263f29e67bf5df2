import { randomUUID } from 'node:crypto';
import type { MoniteMintLimits, StoredToken } from '../tokens/monite-token-store.js';
import type { RedisCommands } from './redis-commands.js';
import type { RedisKeyLayout } from './redis-key-layout.js';
import { EXTEND_LOCK, RELEASE_LOCK } from './redis-scripts.js';
import type { ResolvedRedisTokenStoreOptions } from './redis-token-store.options.js';

export interface RedisMintLockDependencies {
  commands: RedisCommands;
  layout: RedisKeyLayout;
  options: ResolvedRedisTokenStoreOptions;
  /** The store's read (Redis, or the fallback while Redis is down). */
  read: (key: string) => Promise<StoredToken | undefined>;
  /** True while the store serves from its fallback, or after it was closed: stop waiting. */
  givingUp: () => boolean;
  /** Tells the store that Redis failed. */
  failed: () => void;
}

/**
 * Distributed single flight: the replica that takes the key's lock (`SET NX PX`, random value,
 * extended while it is alive, released by compare-and-delete) mints; the others poll for its
 * token and mint themselves only after the wait deadline. Waits and deadlines run on the injected
 * clock; the lock's keep-alive is a real timer, because the lock expires in Redis's real time.
 */
export class RedisMintLock {
  readonly #deps: RedisMintLockDependencies;

  constructor(dependencies: RedisMintLockDependencies) {
    this.#deps = dependencies;
  }

  async coordinate(
    key: string,
    mint: () => Promise<StoredToken>,
    limits?: MoniteMintLimits,
  ): Promise<StoredToken> {
    const { commands, layout, options, read } = this.#deps;
    const { clock, lockTtlMs, pollIntervalMs } = options;
    const lockKey = layout.lock(key);
    const holder = randomUUID();
    const seen = await read(key);
    const deadline = clock.monotonic() + this.#waitMs(limits);
    for (;;) {
      let acquired: boolean;
      try {
        const reply = await commands.run((redis) => redis.set(lockKey, holder, 'PX', lockTtlMs, 'NX'));
        acquired = reply === 'OK';
      } catch {
        this.#deps.failed();
        return mint();
      }
      if (acquired) return this.#mintHolding(key, lockKey, holder, mint);

      await clock.sleep(Math.round(pollIntervalMs * (0.5 + Math.random())));
      const current = await read(key);
      if (current !== undefined && this.#newerOrFresh(current, seen)) return current;
      if (this.#deps.givingUp() || clock.monotonic() >= deadline) return mint();
    }
  }

  /** An explicit `waitTimeoutMs` wins; else long enough for the slowest mint the token service allows. */
  #waitMs(limits: MoniteMintLimits | undefined): number {
    const { waitTimeoutMs, waitTimeoutExplicit, lockTtlMs } = this.#deps.options;
    const maxMintMs = limits?.maxMintMs;
    if (waitTimeoutExplicit || typeof maxMintMs !== 'number' || !Number.isFinite(maxMintMs))
      return waitTimeoutMs;
    return Math.max(waitTimeoutMs, maxMintMs + lockTtlMs);
  }

  async #mintHolding(
    key: string,
    lockKey: string,
    holder: string,
    mint: () => Promise<StoredToken>,
  ): Promise<StoredToken> {
    const { commands, options, read } = this.#deps;
    const { lockTtlMs, clock } = options;
    // Keeps the lock while this process lives; if it dies, the lock expires within lockTtlMs.
    const keepAlive = setInterval(
      () => {
        commands
          .run((redis) => redis.eval(EXTEND_LOCK, 1, lockKey, holder, lockTtlMs))
          .catch(() => undefined);
      },
      Math.max(1, Math.floor(lockTtlMs / 3)),
    );
    keepAlive.unref();
    try {
      // Another replica may have stored a token between our last look and the lock.
      const current = await read(key);
      if (current !== undefined && clock.now() < current.refreshAt) return current;
      return await mint();
    } finally {
      clearInterval(keepAlive);
      await commands.run((redis) => redis.eval(RELEASE_LOCK, 1, lockKey, holder)).catch(() => undefined);
    }
  }

  /** A token another replica stored for us: fresh, or at least not the one we started from. */
  #newerOrFresh(token: StoredToken, seen: StoredToken | undefined): boolean {
    const now = this.#deps.options.clock.now();
    return now < token.refreshAt || (token.accessToken !== seen?.accessToken && now < token.expiresAt);
  }
}
