/*
 * Helpers of the Redis store specs: stores on a real redis-server (directly or through a latency
 * proxy), tokens to put in them, and a logger that keeps what the stores said.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisTokenStore, type RedisTokenStoreOptions, type StoredToken } from 'nestjs-monite-auth';
import type { RedisServer } from './redis-server.js';

/**
 * What the token service hands over to a store without `encryptionKey` (HKDF of the client
 * credentials there); every store of a spec gets the same, as the replicas of one app do.
 */
export const SEALING_MATERIAL = randomBytes(32);

const SILENT = { warn: () => undefined, log: () => undefined };

/** A stored token living `lifetimeMs` from `now`. */
export function storedToken(accessToken: string, lifetimeMs = 60_000, now = Date.now()): StoredToken {
  const expiresAt = now + lifetimeMs;
  return {
    accessToken,
    tokenType: 'Bearer',
    expiresAt,
    refreshAt: expiresAt - Math.min(10_000, lifetimeMs / 2),
  };
}

/** Collects what the stores log, tagged with the store's name. */
export class StoreLog {
  readonly lines: { store: string; level: 'warn' | 'log'; message: string }[] = [];
  for(store: string) {
    return {
      warn: (message: string) => this.lines.push({ store, level: 'warn' as const, message }),
      log: (message: string) => this.lines.push({ store, level: 'log' as const, message }),
    };
  }
  count(store: string, level: 'warn' | 'log'): number {
    return this.lines.filter((line) => line.store === store && line.level === level).length;
  }
}

/** Builds stores on one redis-server, each on its own connection; `close()` ends them all. */
export class StoreFactory {
  private readonly clients: Redis[] = [];
  private readonly stores: RedisTokenStore[] = [];

  constructor(private readonly redis: RedisServer) {}

  /**
   * A store on a new connection (to `port`, e.g. a proxy's, else the server). Without an
   * `encryptionKey` it gets {@link SEALING_MATERIAL}, as from the token service. Silent unless
   * given a `logger`.
   */
  create(options: Partial<RedisTokenStoreOptions> = {}, port?: number): RedisTokenStore {
    const client = options.client ?? this.client(port);
    const store = new RedisTokenStore({ client, logger: SILENT, ...options });
    if (options.encryptionKey === undefined) store.useDerivedSealingKey(SEALING_MATERIAL);
    this.stores.push(store);
    return store;
  }

  /** A connection closed with the factory. */
  client(port?: number, password?: string): Redis {
    const client = this.redis.client({
      ...(port === undefined ? {} : { port }),
      ...(password === undefined ? {} : { password }),
    });
    this.clients.push(client);
    return client;
  }

  close(): void {
    this.stores.splice(0).forEach((store) => store.onModuleDestroy());
    this.clients.splice(0).forEach((client) => client.disconnect());
  }
}
