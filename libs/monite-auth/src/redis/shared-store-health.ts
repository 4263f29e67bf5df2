import type { RedisTokenStoreLogger } from './redis-token-store.options.js';

export interface SharedStoreHealthOptions {
  /** Resolves when Redis answers again; rejects while it does not. */
  probe: () => Promise<void>;
  /** Runs once Redis answers, before the store uses it again; a rejection keeps the store degraded. */
  onRecovered: () => Promise<void>;
  /** Runs when the store switches to its fallback (and, after `onRecovered`, back from it). */
  onSwitched: () => void;
  intervalMs: number;
  logger: RedisTokenStoreLogger;
}

/**
 * Whether the store uses Redis or its in-process fallback. The first failure of an outage switches
 * to the fallback and warns once; a timer (not keeping the process alive) probes Redis until it
 * answers, then the store switches back. The timer is a real one, not the injected clock: it
 * paces real network probes, which a virtual clock would fire in a busy loop. Messages carry no
 * error text: a Redis error may quote a connection string with its password.
 */
export class SharedStoreHealth {
  readonly #options: SharedStoreHealthOptions;
  #degraded = false;
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(options: SharedStoreHealthOptions) {
    this.#options = options;
  }

  /** True while Redis is considered down. */
  get usingFallback(): boolean {
    return this.#degraded;
  }

  failed(): void {
    if (this.#degraded) return;
    this.#degraded = true;
    this.#options.logger.warn(
      'the Redis token store is unavailable; tokens are cached in this process only until it recovers',
    );
    this.#options.onSwitched();
    this.#timer = setInterval(() => void this.#check(), this.#options.intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #check(): Promise<void> {
    if (this.#checking || !this.#degraded) return;
    this.#checking = true;
    try {
      await this.#options.probe();
      await this.#options.onRecovered();
      this.#degraded = false;
      this.stop();
      this.#options.onSwitched();
      this.#options.logger.log('the Redis token store recovered; tokens are shared again');
    } catch {
      // Still down: the next tick tries again.
    } finally {
      this.#checking = false;
    }
  }
}
