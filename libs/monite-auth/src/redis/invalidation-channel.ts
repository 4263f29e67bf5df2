import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { MoniteClock } from '../tokens/monite-clock.js';
import type { MoniteInvalidation, MoniteInvalidationListener } from '../tokens/monite-invalidations.js';
import type { RedisTokenStoreClient, RedisTokenStoreSubscriber } from './redis-client.js';
import { RedisUnavailableError, type RedisCommands } from './redis-commands.js';
import type { RedisTokenStoreLogger } from './redis-token-store.options.js';
import { signInvalidation, verifyInvalidation } from './invalidation-message.js';
import type { SealingKeyring } from './sealing-keys.js';

/** A message older than this (sender's clock) is dropped: replicas' clocks must agree within it. */
const REPLAY_WINDOW_MS = 5 * 60_000;
/** Invalidations that could not be published, kept for the recovery; beyond this, one `all` stands for them. */
const MAX_PENDING = 1_000;
const ALL: MoniteInvalidation = Object.freeze({ kind: 'all' });

interface Outgoing {
  readonly invalidation: MoniteInvalidation;
  readonly nonce: string;
}

export interface InvalidationChannelOptions {
  client: RedisTokenStoreClient;
  commands: RedisCommands;
  channel: string;
  keys: SealingKeyring;
  clock: MoniteClock;
  logger: RedisTokenStoreLogger;
  /** Tells the store that Redis failed (a publication it did not take). */
  failed: () => void;
}

/**
 * Invalidations between replicas over Redis pub/sub (classic `PUBLISH`/`SUBSCRIBE`, which a Redis
 * Cluster relays to every node). The subscriber is a duplicate of the store's connection, opened
 * with the first listener. Messages are authenticated (see `signInvalidation`), a store ignores
 * its own, and a replayed one is dropped. Whenever this process may have missed messages (the
 * subscriber (re)connected), listeners get `{ kind: 'all' }` once it listens again.
 */
export class InvalidationChannel {
  readonly #options: InvalidationChannelOptions;
  readonly #sender = randomUUID();
  readonly #listeners = new Set<MoniteInvalidationListener>();
  readonly #seen = new LRUCache<string, true>({ max: 10_000 });
  /** Not yet published; each keeps its nonce, so a copy ioredis resent meanwhile counts once. */
  #pending: Outgoing[] = [];
  #subscriber: RedisTokenStoreSubscriber | undefined;
  #listening = false;
  #warnedNoSubscriber = false;

  constructor(options: InvalidationChannelOptions) {
    this.#options = options;
  }

  /** True while the subscriber connection listens on the channel. */
  get listening(): boolean {
    return this.#listening;
  }

  subscribe(listener: MoniteInvalidationListener): () => void {
    this.#listeners.add(listener);
    if (this.#subscriber === undefined) this.#open();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.close();
    };
  }

  /** Calls this process's listeners (a listener that throws is skipped). */
  deliverLocally(invalidation: MoniteInvalidation): void {
    for (const listener of this.#listeners) {
      try {
        listener(invalidation);
      } catch {
        // The listener's own problem; the others still hear it.
      }
    }
  }

  /** Publishes to the other replicas; kept for `flush` (once Redis is back) when Redis does not take it. */
  async publish(invalidation: MoniteInvalidation): Promise<void> {
    const outgoing = { invalidation, nonce: randomUUID() };
    if (await this.#send(outgoing)) return;
    this.#remember(outgoing);
    this.#options.failed();
  }

  /** Publishes what could not be published before; rejects (keeping the rest) while Redis does not take it. */
  async flush(): Promise<void> {
    while (this.#pending.length > 0) {
      if (!(await this.#send(this.#pending[0]!))) throw new RedisUnavailableError();
      this.#pending.shift();
    }
  }

  close(): void {
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#listening = false;
    if (subscriber === undefined) return;
    subscriber.removeAllListeners();
    subscriber.on('error', () => undefined);
    subscriber.disconnect();
  }

  async #send({ invalidation, nonce }: Outgoing): Promise<boolean> {
    const { client, commands, channel, keys, clock } = this.#options;
    const key = keys.writer;
    if (client.publish === undefined || key === undefined) return true;
    const envelope = { sender: this.#sender, nonce, sentAt: clock.now(), invalidation };
    try {
      await commands.run((redis) => redis.publish!(channel, signInvalidation(key, envelope)));
      return true;
    } catch {
      return false;
    }
  }

  #remember(outgoing: Outgoing): void {
    if (this.#pending.length >= MAX_PENDING) this.#pending = [{ invalidation: ALL, nonce: randomUUID() }];
    else this.#pending.push(outgoing);
  }

  #open(): void {
    const { client, channel, logger } = this.#options;
    if (client.duplicate === undefined) {
      if (!this.#warnedNoSubscriber) {
        logger.warn(
          'the Redis client cannot duplicate its connection: other replicas’ invalidations are not heard',
        );
      }
      this.#warnedNoSubscriber = true;
      return;
    }
    const subscriber = client.duplicate();
    this.#subscriber = subscriber;
    // Outages are the store's to report; ioredis would print every reconnection failure.
    subscriber.on('error', () => undefined);
    subscriber.on('message', (from: string, message: string) => {
      if (from === channel) this.#receive(message);
    });
    subscriber.on('close', () => {
      this.#listening = false;
    });
    // ioredis resubscribes on its own after a reconnect; subscribing again tells us when it holds.
    subscriber.on('ready', () => void this.#listen(subscriber));
    void this.#listen(subscriber);
  }

  async #listen(subscriber: RedisTokenStoreSubscriber): Promise<void> {
    try {
      await subscriber.subscribe(this.#options.channel);
    } catch {
      return; // not connected yet: 'ready' tries again
    }
    if (this.#subscriber !== subscriber || this.#listening) return;
    this.#listening = true;
    // Messages sent while nobody listened are lost: nothing cached until now may be trusted.
    this.deliverLocally(ALL);
  }

  #receive(message: string): void {
    const envelope = verifyInvalidation(this.#options.keys, message);
    if (envelope === undefined || envelope.sender === this.#sender) return;
    if (this.#seen.has(envelope.nonce)) return;
    if (this.#options.clock.now() - envelope.sentAt > REPLAY_WINDOW_MS) return;
    this.#seen.set(envelope.nonce, true);
    this.deliverLocally(envelope.invalidation);
  }
}
