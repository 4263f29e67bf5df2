import type { RedisTokenStoreClient } from './redis-client.js';

/** ioredis states in which a command would only queue: fail at once instead. */
const DISCONNECTED = new Set(['reconnecting', 'disconnecting', 'close', 'end']);

/** Redis did not answer in time, or is disconnected. Carries no text of the client's own error. */
export class RedisUnavailableError extends Error {
  constructor() {
    super('Redis is unavailable');
    this.name = 'RedisUnavailableError';
  }
}

/**
 * Runs one Redis command, failed fast while disconnected and bounded by `timeoutMs`. The bound is a
 * real timer, not the injected clock: it limits real I/O, which a virtual clock does not move.
 */
export class RedisCommands {
  readonly #client: RedisTokenStoreClient;
  readonly #timeoutMs: number;

  constructor(client: RedisTokenStoreClient, timeoutMs: number) {
    this.#client = client;
    this.#timeoutMs = timeoutMs;
  }

  async run<T>(command: (client: RedisTokenStoreClient) => Promise<T>): Promise<T> {
    const status = this.#client.status;
    if (status !== undefined && DISCONNECTED.has(status)) throw new RedisUnavailableError();
    let pending: Promise<T>;
    try {
      pending = command(this.#client);
    } catch {
      throw new RedisUnavailableError();
    }
    // A command given up on may still settle later; its outcome is of no interest then.
    pending.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RedisUnavailableError()), this.#timeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } catch {
      // The client's error may quote a connection string with its password: it is not passed on.
      throw new RedisUnavailableError();
    } finally {
      clearTimeout(timer);
    }
  }
}
